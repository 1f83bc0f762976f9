#include "misp_stub.hpp"

#include "http_reply.hpp"
#include "json_util.hpp"
#include "misp_search.hpp"
#include "text_util.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace m2s::sandbox {

namespace {

constexpr const char* k_auth_failed =
    "Authentication failed. Please make sure you pass the API key of an API "
    "enabled user along in the Authorization header.";

constexpr const char* k_empty_body =
    "Either specify the search terms in the url, or POST a json with the "
    "filter parameters.";

constexpr const char* k_bad_json =
    "Invalid JSON input. Make sure that the JSON input is a correctly "
    "formatted JSON string. This request has been blocked to avoid an "
    "unfiltered request.";

constexpr const char* k_get_search =
    "Restsearch queries using GET and no parameters are not allowed. If you "
    "have passed parameters via a JSON body, make sure you use POST "
    "requests.";

void send_misp_error(httplib::Response& res,
                     int status,
                     const std::string& message,
                     const std::string& url) {
  send_json(res,
            status,
            boost::json::object{
                {"name", message}, {"message", message}, {"url", url}});
}

// MISP reads Authorization, else X-MISP-AUTH; either may list several
// comma-separated keys.
bool authorized(const SandboxState& state, const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  if (header.empty()) {
    header = req.get_header_value("X-MISP-AUTH");
  }
  std::string_view rest(header);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    if (trim(rest.substr(0, comma)) == state.options.misp_key) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  return false;
}

// The JSON object body; nullopt (answer already written) otherwise.
std::optional<boost::json::object> read_body(const httplib::Request& req,
                                             httplib::Response& res,
                                             bool empty_allowed) {
  if (trim(req.body).empty()) {
    if (empty_allowed) {
      return boost::json::object{};
    }
    send_misp_error(res, 400, k_empty_body, req.path);
    return std::nullopt;
  }
  auto body = parse_json(req.body);
  if (!body || !body->is_object()) {
    send_misp_error(res, 400, k_bad_json, req.path);
    return std::nullopt;
  }
  return std::move(body->get_object());
}

std::optional<SearchQuery> read_query(const SandboxState& state,
                                      const boost::json::object& body,
                                      const httplib::Request& req,
                                      httplib::Response& res) {
  try {
    return parse_search_query(body, state.clock.epoch_now());
  } catch (const SearchError& error) {
    send_misp_error(res, 400, error.what(), req.path);
    return std::nullopt;
  }
}

void handle_search(SandboxState& state,
                   const httplib::Request& req,
                   httplib::Response& res) {
  if (!authorized(state, req)) {
    send_misp_error(res, 403, k_auth_failed, req.path);
    return;
  }
  const auto body = read_body(req, res, false);
  if (!body) {
    return;
  }
  const auto query = read_query(state, *body, req, res);
  if (!query) {
    return;
  }

  const auto warninglist =
      query->enforce_warninglist
          ? load_warninglist(state.options.warninglist_path)
          : Warninglist{};
  const auto events = state.events.load();
  auto result = run_search(events, *query, warninglist, SearchScope::events);

  boost::json::array response;
  for (auto& found : result.events) {
    response.push_back(boost::json::object{{"Event", std::move(found.json)}});
  }
  res.set_header("X-Result-Count", std::to_string(result.total));
  res.set_header("X-Response-Format", "json");
  send_json(res, 200, boost::json::object{{"response", std::move(response)}});
}

bool left_out_of_index(std::string_view key) {
  for (const char* left_out : {"Attribute",
                               "Object",
                               "ShadowAttribute",
                               "EventReport",
                               "RelatedEvent"}) {
    if (key == left_out) {
      return true;
    }
  }
  return false;
}

boost::json::object index_row(const MispEvent& event, bool minimal) {
  if (!minimal) {
    boost::json::object row;
    for (const auto& member : *event.json) {
      if (!left_out_of_index(member.key())) {
        row.emplace(member.key(), member.value());
      }
    }
    return row;
  }
  return boost::json::object{{"id", std::to_string(event.id)},
                             {"timestamp", std::to_string(event.timestamp)},
                             {"sighting_timestamp", "0"},
                             {"published", event.published},
                             {"uuid", event.uuid},
                             {"orgc_uuid", event.orgc_uuid}};
}

void handle_index(SandboxState& state,
                  const httplib::Request& req,
                  httplib::Response& res) {
  if (!authorized(state, req)) {
    send_misp_error(res, 403, k_auth_failed, req.path);
    return;
  }
  const auto body = read_body(req, res, true);
  if (!body) {
    return;
  }
  const auto query = read_query(state, *body, req, res);
  if (!query) {
    return;
  }

  const bool minimal =
      lenient_bool(body->if_contains("minimal")).value_or(false);
  const auto events = state.events.load();
  const auto result = run_search(events, *query, {}, SearchScope::index);

  boost::json::array rows;
  for (const auto& found : result.events) {
    rows.push_back(index_row(found.event, minimal));
  }
  res.set_header("X-Result-Count", std::to_string(result.total));
  send_json(res, 200, rows);
}

void handle_version(const SandboxState& state,
                    const httplib::Request& req,
                    httplib::Response& res) {
  if (!authorized(state, req)) {
    send_misp_error(res, 403, k_auth_failed, req.path);
    return;
  }
  send_json(res,
            200,
            boost::json::object{{"version", "2.5.1"},
                                {"perm_sync", false},
                                {"perm_sighting", true},
                                {"perm_galaxy_editor", false},
                                {"uuid", "-"},
                                {"request_encoding", boost::json::array{}},
                                {"filter_sightings", true}});
}

} // namespace

void add_misp_routes(Routes& routes, SandboxState& state) {
  const std::string search = R"(/events/restSearch(?:/json)?)";
  routes.post(search,
              Endpoint::misp_search,
              [&state](const auto& req, auto& res, RequestNote&) {
                handle_search(state, req, res);
              });
  routes.get(search,
             Endpoint::misp_search,
             [&state](const auto& req, auto& res, RequestNote&) {
               if (!authorized(state, req)) {
                 send_misp_error(res, 403, k_auth_failed, req.path);
               } else {
                 send_misp_error(res, 400, k_get_search, req.path);
               }
             });
  routes.post(R"(/events/index(?:\.json)?)",
              Endpoint::misp_index,
              [&state](const auto& req, auto& res, RequestNote&) {
                handle_index(state, req, res);
              });
  routes.get(R"(/servers/getVersion(?:\.json)?)",
             Endpoint::misp_version,
             [&state](const auto& req, auto& res, RequestNote&) {
               handle_version(state, req, res);
             });
}

} // namespace m2s::sandbox
