#include "sentinel_stub.hpp"

#include "http_reply.hpp"
#include "json_util.hpp"
#include "stix_time.hpp"
#include "stix_validation.hpp"
#include "text_util.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <string>

namespace m2s::sandbox {

namespace {

const char* api_version(UploadApi api) {
  switch (api) {
  case UploadApi::stix_objects:
    return "2024-02-01-preview";
  case UploadApi::upload_indicators:
    return "2022-07-01";
  }
  return "";
}

const char* array_key(UploadApi api) {
  switch (api) {
  case UploadApi::stix_objects:
    return "stixobjects";
  case UploadApi::upload_indicators:
    return "value";
  }
  return "";
}

std::int64_t count_objects(UploadApi api, const httplib::Request& req) {
  const auto body = parse_json(req.body);
  const auto* fields = body ? body->if_object() : nullptr;
  const auto* list =
      fields != nullptr ? fields->if_contains(array_key(api)) : nullptr;
  return list != nullptr && list->is_array()
             ? static_cast<std::int64_t>(list->get_array().size())
             : 0;
}

void send_unauthorized(httplib::Response& res, const std::string& why) {
  res.set_header("WWW-Authenticate", R"(Bearer error="invalid_token")");
  send_azure_error(
      res, 401, "AuthenticationFailed", "Authentication failed. " + why);
}

bool authorized(const SandboxState& state,
                const httplib::Request& req,
                httplib::Response& res) {
  const std::string header = req.get_header_value("Authorization");
  if (header.empty()) {
    send_unauthorized(res, "The 'Authorization' header is missing.");
    return false;
  }
  if (header.size() <= 7 || !iequals(header.substr(0, 7), "Bearer ")) {
    send_unauthorized(res,
                      "The 'Authorization' header must be 'Bearer <token>'.");
    return false;
  }

  switch (state.tokens.check(trim(std::string_view(header).substr(7)))) {
  case TokenVerdict::valid:
    return true;
  case TokenVerdict::unknown:
    send_unauthorized(res, "The access token is invalid.");
    return false;
  case TokenVerdict::expired:
    send_unauthorized(res, "The access token has expired.");
    return false;
  case TokenVerdict::wrong_audience:
    send_unauthorized(res,
                      "The access token audience is not accepted; request "
                      "the token for https://management.azure.com/.default.");
    return false;
  }
  return false;
}

bool api_version_ok(UploadApi api,
                    const httplib::Request& req,
                    httplib::Response& res) {
  if (!req.has_param("api-version")) {
    send_azure_error(res,
                     400,
                     "MissingApiVersionParameter",
                     "The api-version query parameter (?api-version=) is "
                     "required for all requests.");
    return false;
  }
  const std::string version = req.get_param_value("api-version");
  if (version != api_version(api)) {
    send_azure_error(
        res,
        400,
        "InvalidApiVersionParameter",
        fmt::format("The api-version '{}' is invalid. The supported "
                    "versions are '{}'.",
                    clip(version, 40),
                    api_version(api)));
    return false;
  }
  return true;
}

bool within_rate(SandboxState& state, httplib::Response& res) {
  const auto wait = state.rate.admit(state.clock.steady_now());
  if (!wait) {
    return true;
  }
  const auto seconds = std::max<std::int64_t>(1, (wait->count() + 999) / 1000);
  ++state.stats.throttled;
  res.set_header("Retry-After", std::to_string(seconds));
  send_json(res,
            429,
            boost::json::object{
                {"statusCode", 429},
                {"message",
                 fmt::format("Rate limit is exceeded. Try again in {} "
                             "seconds.",
                             seconds)}});
  return false;
}

struct Batch {
  std::string source_system;
  boost::json::array objects;
};

void bad_request(httplib::Response& res, const std::string& message) {
  send_azure_error(res, 400, "BadRequest", message);
}

std::optional<Batch> read_batch(const SandboxState& state,
                                UploadApi api,
                                const httplib::Request& req,
                                httplib::Response& res) {
  auto body = parse_json(req.body);
  if (!body || !body->is_object()) {
    bad_request(res, "The request body is not a valid JSON object.");
    return std::nullopt;
  }
  auto& fields = body->get_object();

  const auto source = string_member(fields, "sourcesystem");
  if (!source || trim(*source).empty()) {
    bad_request(res,
                "The request body must contain 'sourcesystem', a "
                "non-empty string.");
    return std::nullopt;
  }
  auto* list = fields.if_contains(array_key(api));
  if (list == nullptr || !list->is_array()) {
    bad_request(res,
                fmt::format("The request body must contain '{}', an array "
                            "of STIX objects.",
                            array_key(api)));
    return std::nullopt;
  }
  if (iequals(trim(*source), "Microsoft Sentinel")) {
    bad_request(res,
                "The source system name 'Microsoft Sentinel' is "
                "reserved; use another 'sourcesystem'.");
    return std::nullopt;
  }

  const auto count = list->get_array().size();
  const auto most = static_cast<std::size_t>(state.options.max_batch);
  if (count == 0 || count > most) {
    bad_request(res,
                fmt::format("'{}' must hold 1 to {} objects; it holds {}.",
                            array_key(api),
                            most,
                            count));
    return std::nullopt;
  }
  return Batch{std::string(*source), std::move(list->get_array())};
}

std::optional<std::string> optional_text(const boost::json::object& object,
                                         std::string_view key) {
  const auto text = string_member(object, key);
  return text ? std::optional<std::string>(*text) : std::nullopt;
}

// Only called for objects that passed validation.
ObjectRecord make_record(const boost::json::object& object,
                         const std::string& source_system,
                         UploadApi api) {
  ObjectRecord record;
  record.id = std::string(*string_member(object, "id"));
  record.type = std::string(*string_member(object, "type"));
  record.pattern = optional_text(object, "pattern");
  record.revoked = lenient_bool(object.if_contains("revoked")).value_or(false);
  record.created = std::string(*string_member(object, "created"));
  record.modified = std::string(*string_member(object, "modified"));
  record.modified_time = *parse_stix_time(record.modified);
  record.valid_from = optional_text(object, "valid_from");
  record.valid_until = optional_text(object, "valid_until");
  record.source_system = source_system;
  record.api = upload_api_name(api);
  record.body = boost::json::serialize(object);
  return record;
}

void handle_upload(SandboxState& state,
                   UploadApi api,
                   const httplib::Request& req,
                   httplib::Response& res,
                   RequestNote& note) {
  if (!authorized(state, req, res)) {
    return;
  }
  const std::string workspace = req.matches[1];
  if (!iequals(workspace, state.options.workspace)) {
    send_azure_error(
        res,
        404,
        "WorkspaceNotFound",
        fmt::format("Workspace '{}' was not found.", clip(workspace, 100)));
    return;
  }
  if (!api_version_ok(api, req, res) || !within_rate(state, res)) {
    return;
  }
  const auto batch = read_batch(state, api, req, res);
  if (!batch) {
    return;
  }

  boost::json::array errors;
  for (std::size_t i = 0; i < batch->objects.size(); ++i) {
    const auto& object = batch->objects[i];
    auto messages = validate_stix_object(object, api);
    if (messages.empty()) {
      note.accepted.push_back(
          make_record(object.get_object(), batch->source_system, api));
      continue;
    }
    boost::json::array list;
    for (auto& message : messages) {
      list.emplace_back(std::move(message));
    }
    errors.push_back(boost::json::object{{"recordIndex", i},
                                         {"errorMessages", std::move(list)}});
  }
  state.stats.objects_rejected += static_cast<std::int64_t>(errors.size());

  if (errors.empty()) {
    res.status = 200; // Sentinel answers an all-valid batch with no body
    return;
  }
  const int status = note.accepted.empty() ? 400 : 200;
  send_json(res, status, boost::json::object{{"errors", std::move(errors)}});
}

void add_upload_route(Routes& routes,
                      SandboxState& state,
                      const std::string& pattern,
                      UploadApi api) {
  routes.post(
      pattern,
      Endpoint::upload,
      [&state, api](const auto& req, auto& res, RequestNote& note) {
        handle_upload(state, api, req, res, note);
      },
      [api](const httplib::Request& req) { return count_objects(api, req); });
}

} // namespace

void add_sentinel_routes(Routes& routes, SandboxState& state) {
  add_upload_route(
      routes,
      state,
      R"(/workspaces/([^/]+)/threat-intelligence-stix-objects:upload)",
      UploadApi::stix_objects);
  add_upload_route(routes,
                   state,
                   R"(/([^/]+)/threatintelligence:upload-indicators)",
                   UploadApi::upload_indicators);
}

} // namespace m2s::sandbox
