#include "http_reply.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace m2s::sandbox {

void send_json(httplib::Response& res,
               int status,
               const boost::json::value& body) {
  res.status = status;
  // With the charset, as MISP and Azure send it. It also keeps
  // cpp-httplib from compressing: it only compresses a bare
  // "application/json", and its Brotli takes seconds on a 3 MB page.
  res.set_content(boost::json::serialize(body),
                  "application/json; charset=utf-8");
}

void send_azure_error(httplib::Response& res,
                      int status,
                      const char* code,
                      const std::string& message) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = message;
  send_json(res, status, boost::json::object{{"error", std::move(error)}});
}

} // namespace m2s::sandbox
