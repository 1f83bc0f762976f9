# Turns schema/NNN_name.sql files into a C++ table of migrations, so the
# binary never reads schema files at run time. Called from CMakeLists.txt.
separate_arguments(FILES)
set(body "")
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" version ${name})
  file(READ ${f} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"m2s_sql(${sql})m2s_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from schema/*.sql by cmake/embed_migrations.cmake.
#include \"misp2sentinel/store/migrations.hpp\"

namespace m2s {

const std::vector<Migration>& embedded_migrations() {
  static const std::vector<Migration> migrations = {
${body}  };
  return migrations;
}

} // namespace m2s
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
