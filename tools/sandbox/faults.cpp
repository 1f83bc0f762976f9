#include "faults.hpp"

#include "json_util.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>

namespace m2s::sandbox {

namespace {

constexpr std::array<std::string_view, 7> k_fault_members = {
    "path_contains",
    "status",
    "body",
    "headers",
    "count",
    "delay_ms",
    "close_connection"};

std::int64_t whole_number(const boost::json::value& value,
                          std::string_view name,
                          std::int64_t low,
                          std::int64_t high) {
  const auto number = lenient_int(&value);
  if (!number || *number < low || *number > high) {
    throw FaultError(
        fmt::format("fault member '{}' must be a whole number from {} to {}",
                    name,
                    low,
                    high));
  }
  return *number;
}

void read_headers(const boost::json::value& value, Fault& fault) {
  const auto* headers = value.if_object();
  if (headers == nullptr) {
    throw FaultError("fault member 'headers' must be an object of strings");
  }
  for (const auto& [name, header] : *headers) {
    if (!header.is_string()) {
      throw FaultError(fmt::format("fault header '{}' must be a string",
                                   std::string_view(name)));
    }
    fault.headers.emplace_back(std::string(name),
                               std::string(header.get_string()));
  }
}

void read_member(std::string_view name,
                 const boost::json::value& value,
                 Fault& fault) {
  if (name == "path_contains") {
    if (!value.is_string()) {
      throw FaultError("fault member 'path_contains' must be a string");
    }
    fault.path_contains = std::string(value.get_string());
  } else if (name == "status") {
    fault.status = static_cast<int>(whole_number(value, name, 100, 599));
  } else if (name == "body") {
    // A JSON body may be given as JSON rather than as an escaped string.
    fault.body = value.is_string() ? std::string(value.get_string())
                                   : boost::json::serialize(value);
  } else if (name == "headers") {
    read_headers(value, fault);
  } else if (name == "count") {
    fault.count = static_cast<int>(whole_number(value, name, 1, 1000000));
  } else if (name == "delay_ms") {
    fault.delay =
        std::chrono::milliseconds(whole_number(value, name, 0, 600000));
  } else if (name == "close_connection") {
    const auto flag = lenient_bool(&value);
    if (!flag) {
      throw FaultError("fault member 'close_connection' must be a boolean");
    }
    fault.close_connection = *flag;
  }
}

} // namespace

Fault parse_fault(const boost::json::value& json) {
  const auto* object = json.if_object();
  if (object == nullptr) {
    throw FaultError("a fault must be a JSON object");
  }

  Fault fault;
  for (const auto& [key, value] : *object) {
    const std::string_view name(key);
    if (std::find(k_fault_members.begin(), k_fault_members.end(), name)
        == k_fault_members.end()) {
      throw FaultError(fmt::format("unknown fault member '{}' (known: {})",
                                   name,
                                   fmt::join(k_fault_members, ", ")));
    }
    read_member(name, value, fault);
  }
  if (!fault.answers() && fault.delay.count() == 0) {
    throw FaultError("a fault needs a status, close_connection or delay_ms");
  }
  return fault;
}

boost::json::object fault_to_json(const Fault& fault) {
  boost::json::object headers;
  for (const auto& [name, value] : fault.headers) {
    headers[name] = value;
  }
  boost::json::object out;
  out["path_contains"] = fault.path_contains;
  if (fault.status) {
    out["status"] = *fault.status;
  } else {
    out["status"] = nullptr;
  }
  out["body"] = fault.body;
  out["headers"] = std::move(headers);
  out["count"] = fault.count;
  out["delay_ms"] = fault.delay.count();
  out["close_connection"] = fault.close_connection;
  return out;
}

void FaultQueue::push(Fault fault) {
  const std::lock_guard lock(m_mutex);
  m_queue.push_back(std::move(fault));
}

std::size_t FaultQueue::clear() {
  const std::lock_guard lock(m_mutex);
  const std::size_t dropped = m_queue.size();
  m_queue.clear();
  return dropped;
}

std::optional<Fault> FaultQueue::take(const std::string& path) {
  if (path.rfind("/_sandbox/", 0) == 0) {
    return std::nullopt;
  }

  const std::lock_guard lock(m_mutex);
  const auto match =
      std::find_if(m_queue.begin(), m_queue.end(), [&path](const Fault& fault) {
        return path.find(fault.path_contains) != std::string::npos;
      });
  if (match == m_queue.end()) {
    return std::nullopt;
  }

  Fault fault = *match;
  if (--match->count == 0) {
    m_queue.erase(match);
  }
  return fault;
}

boost::json::array FaultQueue::describe() const {
  const std::lock_guard lock(m_mutex);
  boost::json::array out;
  for (const auto& fault : m_queue) {
    out.push_back(fault_to_json(fault));
  }
  return out;
}

bool FaultQueue::sleep(std::chrono::milliseconds delay) {
  std::unique_lock lock(m_mutex);
  return !m_wake.wait_for(lock, delay, [this] { return m_stopping; });
}

void FaultQueue::stop() {
  {
    const std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
}

void answer_with_fault(const Fault& fault, httplib::Response& res) {
  res.status = fault.status.value_or(200);

  std::string content_type =
      parse_json(fault.body) ? "application/json" : "text/plain";
  for (const auto& [name, value] : fault.headers) {
    if (name == "Content-Type" || name == "content-type") {
      content_type = value;
    } else {
      res.set_header(name, value);
    }
  }

  if (!fault.close_connection) {
    res.set_content(fault.body, content_type);
    return;
  }

  // cpp-httplib 0.11 sends Content-Length from the provider's length; when
  // the provider returns false the server closes the socket mid-body.
  auto body = std::make_shared<std::string>(fault.body);
  const std::size_t announced = body->size() + 1024;
  res.set_content_provider(
      announced,
      content_type,
      [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
        if (offset < body->size()) {
          sink.write(body->data() + offset, body->size() - offset);
        }
        return false;
      });
}

} // namespace m2s::sandbox
