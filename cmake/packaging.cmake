# --- The Debian package: `cpack -G DEB` in a build folder ---
#
# Installs the binary to /usr/bin, the systemd units to /lib/systemd/system,
# and the docs, the example config, the cron example and the schema to
# /usr/share/doc/misp2sentinel. packaging/debian/ holds the maintainer
# scripts (service user, config folder). tools/package-test.sh builds,
# installs and tries the package.

set(M2S_SYSTEMD_UNIT_DIR "/lib/systemd/system"
    CACHE PATH "Where `install` puts the systemd units")
set(M2S_PACKAGE_MAINTAINER "misp2sentinel maintainers <noreply@example.org>"
    CACHE STRING "Maintainer field of the Debian package")

set(M2S_DOC_DIR share/doc/misp2sentinel)
install(FILES README.md ARCHITECTURE.md
              packaging/misp2sentinel.toml.example
              packaging/misp2sentinel.cron
        DESTINATION ${M2S_DOC_DIR})
install(DIRECTORY schema/ DESTINATION ${M2S_DOC_DIR}/schema
        FILES_MATCHING PATTERN "*.sql")
install(FILES packaging/misp2sentinel.service packaging/misp2sentinel.timer
        DESTINATION ${M2S_SYSTEMD_UNIT_DIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME misp2sentinel)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${M2S_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Keeps Microsoft Sentinel threat intelligence in step with MISP")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Keeps Microsoft Sentinel threat intelligence in step with MISP\n\
Run from a systemd timer or cron: each run reads the MISP events that\n\
changed since the last one, turns their IDS attributes into STIX 2.1\n\
indicators and uploads only what changed, tracked in a SQLite store.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Library dependencies come from the binary (dpkg-shlibdeps); passwd
# provides useradd for postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3, prometheus-node-exporter")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
