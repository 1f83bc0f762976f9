#pragma once

// --- Writing JSON answers into an httplib response ---

#include <boost/json/value.hpp>
#include <httplib.h>

namespace m2s::sandbox {

void send_json(httplib::Response& res,
               int status,
               const boost::json::value& body);

// {"error":{"code":<code>,"message":<message>}}, Azure's error shape.
void send_azure_error(httplib::Response& res,
                      int status,
                      const char* code,
                      const std::string& message);

} // namespace m2s::sandbox
