// One group per service: `methods`, `call <Method>`, and a few friendly
// commands with tables, each a declaration over the generic layer (which rpc,
// which arguments and flags fill which request fields, which columns to show).
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>

#include "commands.h"
#include "nrp/nrpctl/call.h"
#include "nrp/nrpctl/cli.h"
#include "nrp/nrpctl/contract.h"
#include "nrp/nrpctl/dynamic.h"
#include "nrp/nrpctl/format.h"
#include "nrp/nrpctl/zone_import.h"

namespace nrp::nrpctl::internal {
namespace {

namespace pb = google::protobuf;

// A flag that sets a request field.
struct FieldFlag {
  std::string flag;
  std::string value_name;
  std::string field;  // dotted path in the request
  std::string help;
  bool repeated = false;
};

// A flag that adds `field = value` to the list filter; `field` is a field of
// the listed resource.
struct FilterFlag {
  std::string flag;
  std::string value_name;
  std::string field;
  std::string help;
};

struct FriendlySpec {
  std::string service;             // ServiceInfo::name
  std::vector<std::string> words;  // {"layers", "list"}
  std::string method;
  std::string summary;
  std::string args_usage;               // "<LAYER_ID>"
  std::vector<std::string> arg_fields;  // request fields the arguments fill, in order
  std::vector<FieldFlag> field_flags;
  std::vector<FilterFlag> filter_flags;
  std::vector<Column> columns;  // list commands: the table
  std::vector<std::string> examples;
  // List commands: fields of the listed resource that the arguments after arg_fields filter
  // on (`field = value` ANDed with the flags), e.g. the account whose ledger to list.
  std::vector<std::string> arg_filters = {};
  // The arguments may be left out (a flag names the resource instead).
  bool args_optional = false;
};

const FilterFlag kRegion{"region", "CODE", "region_code",
                         "only this 6-digit region code, e.g. 410300"};

std::vector<FriendlySpec> Specs() {
  return {
      // registration
      {"registration",
       {"units", "list"},
       "ListRealEstateUnits",
       "List real-estate units (不动产单元)",
       "",
       {},
       {},
       {kRegion, {"status", "STATUS", "status", "only units in this status"}},
       {{"unit_code", "UNIT_CODE"},
        {"region_code", "REGION"},
        {"location", "LOCATION"},
        {"land_use_code", "LAND_USE"},
        {"land_area", "LAND_AREA"},
        {"building_area", "BUILDING_AREA"},
        {"status", "STATUS"}},
       {"nrpctl registration units list --region 410300"}},
      {"registration",
       {"unit", "get"},
       "GetRealEstateUnit",
       "Show one real-estate unit",
       "<UNIT_CODE>",
       {"unit_code"},
       {},
       {},
       {},
       {"nrpctl registration unit get 410302001001GB00001F00010001"}},
      {"registration",
       {"cases", "list"},
       "ListCases",
       "List registration cases (登记案件)",
       "",
       {},
       {},
       {kRegion,
        {"state", "STATE", "state", "only cases in this state, e.g. accepted"},
        {"kind", "KIND", "kind", "only this kind of registration, e.g. first"},
        {"unit", "UNIT_CODE", "unit_code", "only cases of this unit"}},
       {{"case_id", "CASE_ID"},
        {"case_number", "NUMBER"},
        {"kind", "KIND"},
        {"right_kind", "RIGHT"},
        {"unit_code", "UNIT_CODE"},
        {"state", "STATE"},
        {"due_date", "DUE"},
        {"overdue", "OVERDUE"},
        {"certificate_number", "CERTIFICATE"}},
       {"nrpctl registration cases list --region 410300 --state accepted"}},
      {"registration",
       {"case", "get"},
       "GetCase",
       "Show one registration case",
       "<CASE_ID>",
       {"case_id"},
       {},
       {},
       {},
       {"nrpctl registration case get 0190a3c2-…"}},
      // land supply
      {"land_supply",
       {"parcels", "list"},
       "ListParcels",
       "List land parcels of the reserve (地块)",
       "",
       {},
       {},
       {kRegion,
        {"state", "STATE", "state", "only parcels in this state"},
        {"stock-stage", "STAGE", "stock_stage", "only parcels at this stock-land stage"}},
       {{"parcel_id", "PARCEL_ID"},
        {"parcel_code", "CODE"},
        {"name", "NAME"},
        {"region_code", "REGION"},
        {"area", "AREA"},
        {"planned_use", "USE"},
        {"state", "STATE"}},
       {"nrpctl land-supply parcels list --region 410200"}},
      {"land_supply",
       {"parcel", "get"},
       "GetParcel",
       "Show one parcel",
       "<PARCEL_ID>",
       {"parcel_id"},
       {},
       {},
       {},
       {"nrpctl land-supply parcel get 0190a3c2-…"}},
      {"land_supply",
       {"offers", "list"},
       "ListOffers",
       "List supply offers (招拍挂/划拨/协议出让)",
       "",
       {},
       {},
       {kRegion,
        {"state", "STATE", "state", "only offers in this state, e.g. published"},
        {"method", "METHOD", "method", "only this supply method, e.g. auction"},
        {"parcel", "PARCEL_ID", "parcel_id", "only offers of this parcel"}},
       {{"offer_id", "OFFER_ID"},
        {"region_code", "REGION"},
        {"parcel_id", "PARCEL_ID"},
        {"method", "METHOD"},
        {"land_use", "USE"},
        {"starting_price", "STARTING_PRICE"},
        {"state", "STATE"},
        {"bidding_end", "BIDDING_END"},
        {"zone_check.verdict", "ZONE_CHECK"}},
       {"nrpctl land-supply offers list --state published"}},
      {"land_supply",
       {"offer", "get"},
       "GetOffer",
       "Show one supply offer",
       "<OFFER_ID>",
       {"offer_id"},
       {},
       {},
       {},
       {"nrpctl land-supply offer get 0190a3c2-…"}},
      // mining rights
      {"mining_rights",
       {"rights", "list"},
       "ListRights",
       "List exploration and mining rights (探矿权/采矿权)",
       "",
       {},
       {},
       {kRegion,
        {"state", "STATE", "state", "only rights in this state, e.g. valid"},
        {"kind", "KIND", "kind", "only this kind of right, e.g. mining"}},
       {{"right_id", "RIGHT_ID"},
        {"licence_number", "LICENCE"},
        {"kind", "KIND"},
        {"region_code", "REGION"},
        {"project_name", "PROJECT"},
        {"main_mineral.name", "MINERAL"},
        {"state", "STATE"},
        {"valid_to", "VALID_TO"},
        {"green_mine", "GREEN_MINE"}},
       {"nrpctl mining-rights rights list --region 140000 --kind mining"}},
      {"mining_rights",
       {"right", "get"},
       "GetRight",
       "Show one mining or exploration right",
       "<RIGHT_ID>",
       {"right_id"},
       {},
       {},
       {},
       {"nrpctl mining-rights right get 0190a3c2-…"}},
      // restoration
      {"restoration",
       {"projects", "list"},
       "ListProjects",
       "List ecological restoration projects (生态修复项目)",
       "",
       {},
       {},
       {kRegion,
        {"state", "STATE", "state", "only projects in this state, e.g. in_progress"},
        {"kind", "KIND", "kind", "only this kind of project, e.g. historical_mine_site"},
        {"right", "RIGHT_ID", "mining_right_id", "only projects restoring this mining right"}},
       {{"project_id", "PROJECT_ID"},
        {"project_number", "NUMBER"},
        {"name", "NAME"},
        {"kind", "KIND"},
        {"region_code", "REGION"},
        {"state", "STATE"},
        {"percent_complete", "DONE_%"},
        {"planned_area", "PLANNED_AREA"}},
       {"nrpctl restoration projects list --region 640300"}},
      {"restoration",
       {"project", "get"},
       "GetProject",
       "Show one restoration project",
       "<PROJECT_ID>",
       {"project_id"},
       {},
       {},
       {},
       {"nrpctl restoration project get 0190a3c2-…"}},
      {"restoration",
       {"project", "reports"},
       "ListProgressReports",
       "List a project's progress reports (进度报告), newest first",
       "<PROJECT_ID>",
       {},
       {},
       {},
       {{"report_id", "REPORT_ID"},
        {"reported_on", "AS_OF"},
        {"percent_complete", "DONE_%"},
        {"restored_area_to_date", "RESTORED"},
        {"spent", "SPENT"},
        {"description", "WORK"},
        {"issues", "ISSUES"}},
       {"nrpctl restoration project reports 0190a3c2-…"},
       {"project_id"}},
      {"restoration",
       {"obligations", "list"},
       "ListObligations",
       "List mine holders' restoration obligations (矿山生态修复义务), due date first",
       "",
       {},
       {},
       {kRegion,
        {"state", "STATE", "state", "only obligations in this state, e.g. due"},
        {"origin", "ORIGIN", "origin", "only obligations of this origin, e.g. mine_closure"},
        {"right", "RIGHT_ID", "mining_right_id", "only the obligations of this mining right"},
        {"project", "PROJECT_ID", "project_id", "only the obligations this project fulfils"}},
       {{"obligation_id", "OBLIGATION_ID"},
        {"licence_number", "LICENCE"},
        {"region_code", "REGION"},
        {"origin", "ORIGIN"},
        {"state", "STATE"},
        {"due_date", "DUE"},
        {"damaged_area", "DAMAGED_AREA"},
        {"estimated_cost", "ESTIMATED_COST"},
        {"project_id", "PROJECT_ID"}},
       {"nrpctl restoration obligations list --state due --region 410381"}},
      {"restoration",
       {"obligation", "get"},
       "GetObligation",
       "Show one restoration obligation",
       "<OBLIGATION_ID>",
       {"obligation_id"},
       {},
       {},
       {},
       {"nrpctl restoration obligation get 0190a3c2-…"}},
      {"restoration",
       {"funds", "list"},
       "ListFundAccounts",
       "List mining rights' restoration fund accounts (矿山地质环境治理恢复基金)",
       "",
       {},
       {},
       {kRegion, {"right", "RIGHT_ID", "mining_right_id", "only the account of this mining right"}},
       {{"account_id", "ACCOUNT"},
        {"licence_number", "LICENCE"},
        {"region_code", "REGION"},
        {"holder.name", "HOLDER"},
        {"balance", "BALANCE"},
        {"deposited_total", "DEPOSITED"},
        {"withdrawn_total", "WITHDRAWN"},
        {"estimated_cost", "ESTIMATED_COST"},
        {"entry_count", "ENTRIES"}},
       {"nrpctl restoration funds list --region 410381"}},
      {"restoration",
       {"fund", "get"},
       "GetFundAccount",
       "Show a restoration fund account with its balance, by number or by mining right",
       "[ACCOUNT_ID]",
       {"account_id"},
       {{"right", "RIGHT_ID", "mining_right_id", "the mining right whose account to show"}},
       {},
       {},
       {"nrpctl restoration fund get RF-C1401002025000000000012",
        "nrpctl restoration fund get --right 0190a3c2-…"},
       {},
       true},
      {"restoration",
       {"fund", "entries"},
       "ListFundEntries",
       "List the ledger of a restoration fund account: deposits and withdrawals in order",
       "<ACCOUNT_ID>",
       {},
       {},
       {{"kind", "KIND", "kind", "only deposits or only withdrawals"},
        {"project", "PROJECT_ID", "project_id", "only the withdrawals for this project"}},
       {{"sequence", "SEQ"},
        {"kind", "KIND"},
        {"amount", "AMOUNT"},
        {"balance_after", "BALANCE_AFTER"},
        {"booked_on", "BOOKED_ON"},
        {"project_id", "PROJECT_ID"},
        {"obligation_id", "OBLIGATION_ID"},
        {"document.number", "DOCUMENT"}},
       {"nrpctl restoration fund entries RF-C1401002025000000000012 --kind withdrawal"},
       {"account_id"}},
      // planning
      {"planning",
       {"layers", "list"},
       "ListZoneLayers",
       "List control-zone layers (管控图层)",
       "",
       {},
       {},
       {{"kind", "KIND", "kind", "only this kind, e.g. ecological_red_line"}, kRegion},
       {{"layer_id", "LAYER_ID"},
        {"kind", "KIND"},
        {"region_code", "REGION"},
        {"name", "NAME"},
        {"current_version", "VERSION"},
        {"update_time", "UPDATED"}},
       {"nrpctl planning layers list",
        "nrpctl planning layers list --kind ecological_red_line --json"}},
      {"planning",
       {"layer", "get"},
       "GetZoneLayer",
       "Show one zone layer",
       "<LAYER_ID>",
       {"layer_id"},
       {},
       {},
       {},
       {"nrpctl planning layer get 410300-ecological-red-line"}},
      {"planning",
       {"versions", "list"},
       "ListLayerVersions",
       "List the versions of a zone layer",
       "<LAYER_ID>",
       {"layer_id"},
       {},
       {{"state", "STATE", "state", "only versions in this state, e.g. draft"}},
       {{"version", "VERSION"},
        {"state", "STATE"},
        {"zone_count", "ZONES"},
        {"total_area", "AREA"},
        {"effective_from", "EFFECTIVE"},
        {"published_at", "PUBLISHED"},
        {"note", "NOTE"}},
       {"nrpctl planning versions list 410300-ecological-red-line"}},
      {"planning",
       {"zones", "list"},
       "ListZones",
       "List the zones of a layer version",
       "<LAYER_ID>",
       {"layer_id"},
       {{"version", "N", "version", "layer version (default: the current one)"}},
       {{"level", "LEVEL", "control_level",
         "only zones of this control level, e.g. core_protection"},
        kRegion},
       {{"zone_id", "ZONE_ID"},
        {"name", "NAME"},
        {"control_level", "LEVEL"},
        {"region_code", "REGION"},
        {"area", "AREA"}},
       {"nrpctl planning zones list 410300-ecological-red-line --version 2"}},
      {"planning",
       {"plans", "list"},
       "ListPlans",
       "List five-year plans (规划)",
       "",
       {},
       {},
       {kRegion},
       {{"plan_id", "PLAN_ID"},
        {"name", "NAME"},
        {"region_code", "REGION"},
        {"period_start_year", "FROM"},
        {"period_end_year", "TO"},
        {"state", "STATE"}},
       {"nrpctl planning plans list --region 410300"}},
      {"planning",
       {"indicators", "list"},
       "ListIndicators",
       "List plan indicators with latest value and status",
       "",
       {},
       {},
       {{"plan", "PLAN_ID", "plan_id", "only the indicators of this plan"},
        kRegion,
        {"nature", "NATURE", "nature", "only binding or expected indicators"}},
       {{"indicator_id", "INDICATOR_ID"},
        {"code", "CODE"},
        {"name", "NAME"},
        {"unit", "UNIT"},
        {"target.text", "TARGET"},
        {"nature", "NATURE"},
        {"latest_value", "LATEST"},
        {"latest_as_of", "AS_OF"},
        {"status", "STATUS"}},
       {"nrpctl planning indicators list --plan 410300-2021-2025",
        "nrpctl planning indicators list --region 410300 --nature binding"}},
      {"planning",
       {"indicator", "progress"},
       "GetIndicatorProgress",
       "Show an indicator's progress: values, distance to target, status",
       "<INDICATOR_ID>",
       {"indicator_id"},
       {},
       {},
       {},
       {"nrpctl planning indicator progress 410300-2021-2025-15"}},
  };
}

// The one repeated message field of a list response ("layers"), or null.
const pb::FieldDescriptor* ItemsField(const pb::Descriptor* response) {
  const pb::FieldDescriptor* found = nullptr;
  for (int i = 0; i < response->field_count(); ++i) {
    const pb::FieldDescriptor* f = response->field(i);
    if (f->is_repeated() && !f->is_map() && f->message_type() != nullptr) {
      if (found != nullptr) return nullptr;
      found = f;
    }
  }
  return found;
}

bool IsListMethod(const pb::MethodDescriptor* m) {
  const pb::Descriptor* in = m->input_type();
  return in->FindFieldByName("page_size") != nullptr &&
         in->FindFieldByName("page_token") != nullptr && ItemsField(m->output_type()) != nullptr &&
         m->output_type()->FindFieldByName("next_page_token") != nullptr;
}

std::vector<const pb::Message*> Rows(const pb::Message& message, const pb::FieldDescriptor* field) {
  std::vector<const pb::Message*> rows;
  const pb::Reflection* r = message.GetReflection();
  for (int i = 0; i < r->FieldSize(message, field); ++i)
    rows.push_back(&r->GetRepeatedMessage(message, field, i));
  return rows;
}

std::string StringField(const pb::Message& message, const std::string& name) {
  const pb::FieldDescriptor* f = message.GetDescriptor()->FindFieldByName(name);
  return f == nullptr ? "" : message.GetReflection()->GetString(message, f);
}

struct Target {
  const ServiceInfo* service;
  const pb::MethodDescriptor* method;
};

Outcome<Target> Resolve(const std::string& service_name, const std::string& method_name) {
  const ServiceInfo* service = FindService(service_name);
  if (service == nullptr) return Failure::Local("unknown service " + service_name);
  NRPCTL_ASSIGN_OR_RETURN(const pb::ServiceDescriptor* sd, ServiceDescriptorOf(*service));
  NRPCTL_ASSIGN_OR_RETURN(const pb::MethodDescriptor* m, FindMethod(sd, method_name));
  return Target{service, m};
}

// Calls a unary method with one request and hands back its response.
Outcome<std::unique_ptr<pb::Message>> CallUnary(Context& ctx, const GlobalOptions& options,
                                                const Target& target,
                                                std::unique_ptr<pb::Message> request,
                                                std::chrono::milliseconds timeout) {
  std::string address = ServiceAddress(ctx, options, *target.service);
  NRPCTL_ASSIGN_OR_RETURN(auto channel, ChannelTo(ctx, options, address));
  std::vector<std::unique_ptr<pb::Message>> requests;
  requests.push_back(std::move(request));
  std::unique_ptr<pb::Message> response = NewMessage(target.method->output_type());
  NRPCTL_RETURN_IF_FAILED(Invoke(channel, address, target.method, requests, timeout,
                                 [&](const pb::Message& r) { response->CopyFrom(r); }));
  return response;
}

Done RunFriendly(const FriendlySpec& spec, Context& ctx, const ParsedArgs& args,
                 const GlobalOptions& options) {
  NRPCTL_ASSIGN_OR_RETURN(Target target, Resolve(spec.service, spec.method));
  const pb::MethodDescriptor* m = target.method;
  if (spec.args_optional && args.args.empty()) {
    bool named = false;
    std::string flags;
    for (const auto& f : spec.field_flags) {
      named = named || args.Has(f.flag);
      flags += (flags.empty() ? "--" : " or --") + f.flag;
    }
    if (!named && !flags.empty()) return Failure::Usage("give " + spec.args_usage + " or " + flags);
  }
  std::unique_ptr<pb::Message> request = NewMessage(m->input_type());
  for (size_t i = 0; i < spec.arg_fields.size() && i < args.args.size(); ++i) {
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), spec.arg_fields[i], args.args[i]));
  }
  for (const auto& f : spec.field_flags) {
    for (const auto& v : args.GetAll(f.flag))
      NRPCTL_RETURN_IF_FAILED(SetField(request.get(), f.field, v));
  }
  bool list = IsListMethod(m);
  if (!list) {
    NRPCTL_ASSIGN_OR_RETURN(auto response,
                            CallUnary(ctx, options, target, std::move(request), options.timeout));
    PrintResponse(ctx, options.json, *response);
    return Success();
  }
  const pb::FieldDescriptor* items = ItemsField(m->output_type());
  std::string filter;
  for (size_t i = 0; i < spec.arg_filters.size(); ++i) {
    size_t at = spec.arg_fields.size() + i;
    if (at >= args.args.size()) break;
    NRPCTL_ASSIGN_OR_RETURN(std::string term,
                            FilterTerm(items->message_type(), spec.arg_filters[i], args.args[at]));
    filter += (filter.empty() ? "" : " AND ") + term;
  }
  for (const auto& f : spec.filter_flags) {
    for (const auto& v : args.GetAll(f.flag)) {
      NRPCTL_ASSIGN_OR_RETURN(std::string term, FilterTerm(items->message_type(), f.field, v));
      filter += (filter.empty() ? "" : " AND ") + term;
    }
  }
  if (args.Has("filter")) {
    std::string raw = args.Get("filter");
    filter = filter.empty() ? raw : filter + " AND (" + raw + ")";
  }
  if (!filter.empty()) NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "filter", filter));
  if (args.Has("order-by"))
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "order_by", args.Get("order-by")));
  if (args.Has("page-size"))
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "page_size", args.Get("page-size")));
  if (args.Has("page-token"))
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "page_token", args.Get("page-token")));

  bool all = args.Switch("all");
  std::unique_ptr<pb::Message> merged = NewMessage(m->output_type());
  std::string token;
  for (int page = 0;; ++page) {
    std::unique_ptr<pb::Message> next(request->New());
    next->CopyFrom(*request);
    if (page > 0) NRPCTL_RETURN_IF_FAILED(SetField(next.get(), "page_token", token));
    NRPCTL_ASSIGN_OR_RETURN(auto response,
                            CallUnary(ctx, options, target, std::move(next), options.timeout));
    merged->MergeFrom(*response);
    std::string next_token = StringField(*response, "next_page_token");
    // MergeFrom keeps a non-empty token over the last page's empty one.
    NRPCTL_RETURN_IF_FAILED(SetField(merged.get(), "next_page_token", next_token));
    if (!all || next_token.empty()) break;
    if (next_token == token || page >= 10000) {
      return Failure::Local("the server keeps returning page token '" + next_token + "'");
    }
    token = next_token;
  }
  if (options.json) {
    *ctx.out << MessageToJson(*merged) << "\n";
    return Success();
  }
  std::vector<const pb::Message*> rows = Rows(*merged, items);
  if (rows.empty()) {
    *ctx.out << "No " << items->name() << ".\n";
  } else {
    RenderTable(MessageTable(rows, spec.columns), *ctx.out);
  }
  std::string next_token = StringField(*merged, "next_page_token");
  if (!next_token.empty()) {
    *ctx.out << "\nMore " << items->name() << ": add --page-token " << next_token
             << " (or --all)\n";
  }
  return Success();
}

std::string GroupSummary(const std::string& word) {
  static const std::map<std::string, std::string> kSummaries = {
      {"units", "Real-estate units (不动产单元)"},
      {"unit", "One real-estate unit"},
      {"cases", "Registration cases (登记案件)"},
      {"case", "One registration case"},
      {"parcels", "Parcels of the land reserve (地块)"},
      {"parcel", "One parcel"},
      {"offers", "Supply offers (供地)"},
      {"offer", "One supply offer"},
      {"rights", "Exploration and mining rights (矿业权)"},
      {"right", "One right"},
      {"projects", "Restoration projects (生态修复项目)"},
      {"project", "One restoration project"},
      {"obligations", "Mine holders' restoration obligations (矿山生态修复义务)"},
      {"obligation", "One restoration obligation"},
      {"funds", "Restoration fund accounts (矿山地质环境治理恢复基金)"},
      {"fund", "One restoration fund account and its ledger"},
      {"layers", "Control-zone layers (管控图层)"},
      {"layer", "One zone layer"},
      {"versions", "Versions of a zone layer"},
      {"zones", "Zones of a layer version"},
      {"plans", "Five-year plans (规划)"},
      {"indicators", "Plan indicators (指标)"},
      {"indicator", "One plan indicator"},
  };
  auto it = kSummaries.find(word);
  return it != kSummaries.end() ? it->second : "Commands on " + word;
}

void AddFriendly(Command& group, const FriendlySpec& spec) {
  Command* node = &group;
  for (size_t i = 0; i + 1 < spec.words.size(); ++i) {
    Command* existing = node->MutableChild(spec.words[i]);
    node = existing != nullptr ? existing : &node->Add(spec.words[i], GroupSummary(spec.words[i]));
  }
  auto target = Resolve(spec.service, spec.method);
  const pb::MethodDescriptor* m = target.ok() ? target.value().method : nullptr;
  Command& c = node->Add(spec.words.back(), spec.summary);
  int n = static_cast<int>(spec.arg_fields.size() + spec.arg_filters.size());
  c.Args(spec.args_usage, spec.args_optional ? 0 : n, n);
  std::string description;
  if (m != nullptr) {
    description = "Calls " + m->full_name() + ": " + Contract::Get().Summary(m->full_name()) + "\n";
    description +=
        m != nullptr && IsListMethod(m)
            ? "Prints a table (--json: the response as JSON, with every page under --all)."
            : "Prints the response as a tree (--json: as JSON).";
  }
  c.Describe(description);
  for (const auto& f : spec.field_flags) c.Flag({f.flag, f.value_name, f.help, f.repeated});
  for (const auto& f : spec.filter_flags) {
    c.Flag({f.flag, f.value_name, f.help + " (adds " + f.field + " = … to the filter)"});
  }
  if (m != nullptr && IsListMethod(m)) {
    c.Flag({"filter", "EXPR",
            "AIP-160 filter, e.g. 'region_code = \"410300\"' (ANDed with the flags above)"});
    c.Flag({"order-by", "FIELDS", "ordering, e.g. 'update_time desc'"});
    c.Flag({"page-size", "N", "results per page"});
    c.Flag({"page-token", "TOKEN", "the page to fetch (from a previous listing)"});
    c.Flag({"all", "", "fetch every page"});
  }
  for (const auto& e : spec.examples) c.Example(e);
  c.Run(Wrap([spec](Context& ctx, const ParsedArgs& args, const GlobalOptions& options) {
    return RunFriendly(spec, ctx, args, options);
  }));
}

std::vector<const pb::Message*> RowsAt(const pb::Message& message, const std::string& path) {
  // "result.conflicts": singular messages, then the repeated field.
  const pb::Message* m = &message;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const pb::FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(part);
    if (f == nullptr) return {};
    if (dot == std::string::npos) return Rows(*m, f);
    m = &m->GetReflection()->GetMessage(*m, f);
    start = dot + 1;
  }
}

Done Check(Context& ctx, const ParsedArgs& args, const GlobalOptions& options) {
  NRPCTL_ASSIGN_OR_RETURN(Target target, Resolve("planning", "CheckConflicts"));
  if (!args.Has("use"))
    return Failure::Usage("--use is required (the intended use, e.g. urban_construction)");
  if (args.Has("wkt") == args.Has("geojson"))
    return Failure::Usage("give the geometry with --wkt or --geojson (one of them)");
  std::unique_ptr<pb::Message> request = NewMessage(target.method->input_type());
  NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "intended_use", args.Get("use")));
  std::string flag = args.Has("wkt") ? "wkt" : "geojson";
  NRPCTL_ASSIGN_OR_RETURN(std::string text, ReadInput(ctx, args, flag));
  NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "geometry.encoding", flag));
  NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "geometry.text", text));
  if (args.Has("srid"))
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "geometry.srid", args.Get("srid")));
  if (args.Has("region"))
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "region_code", args.Get("region")));
  for (const auto& k : args.GetAll("layer-kind"))
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "layer_kinds", k));
  if (args.Has("as-of"))
    NRPCTL_RETURN_IF_FAILED(SetField(request.get(), "as_of", args.Get("as-of")));
  NRPCTL_ASSIGN_OR_RETURN(auto response,
                          CallUnary(ctx, options, target, std::move(request), options.timeout));
  if (options.json) {
    *ctx.out << MessageToJson(*response) << "\n";
    return Success();
  }
  std::ostream& out = *ctx.out;
  out << "verdict: " << FormatPath(*response, "result.verdict") << "  (use "
      << FormatPath(*response, "result.intended_use") << ")\n";
  auto conflicts = RowsAt(*response, "result.conflicts");
  if (conflicts.empty()) {
    out << "conflicts: none\n";
  } else {
    out << "conflicts:\n";
    RenderTable(MessageTable(conflicts, {{"zone_id", "ZONE_ID"},
                                         {"zone_name", "ZONE"},
                                         {"layer.layer_kind", "LAYER"},
                                         {"layer.version", "VERSION"},
                                         {"control_level", "LEVEL"},
                                         {"overlap_area", "OVERLAP"},
                                         {"verdict", "VERDICT"},
                                         {"required_approval", "APPROVAL"},
                                         {"rule", "RULE"}}),
                out, "  ");
  }
  auto layers = RowsAt(*response, "result.layers_used");
  if (!layers.empty()) {
    out << "layers used:\n";
    RenderTable(
        MessageTable(layers,
                     {{"layer_kind", "KIND"}, {"layer_id", "LAYER_ID"}, {"version", "VERSION"}}),
        out, "  ");
  }
  const pb::Message& result = response->GetReflection()->GetMessage(
      *response, response->GetDescriptor()->FindFieldByName("result"));
  const pb::FieldDescriptor* rules = result.GetDescriptor()->FindFieldByName("failed_rules");
  int n = result.GetReflection()->FieldSize(result, rules);
  if (n > 0) {
    out << "failed rules:\n";
    for (int i = 0; i < n; ++i)
      out << "  - " << result.GetReflection()->GetRepeatedString(result, rules, i) << "\n";
  }
  return Success();
}

Done ImportZones(Context& ctx, const ParsedArgs& args, const GlobalOptions& options) {
  NRPCTL_ASSIGN_OR_RETURN(Target target, Resolve("planning", "ImportZones"));
  ZoneImportOptions o;
  o.layer_id = args.Get("layer");
  std::string version = args.Get("version");
  auto [ptr, ec] = std::from_chars(version.data(), version.data() + version.size(), o.version);
  if (version.empty() || ec != std::errc() || ptr != version.data() + version.size()) {
    return Failure::Usage("--version: expected the draft version number, got '" + version + "'");
  }
  o.request_id = args.Get("request-id");
  o.id_property = args.Get("id-property", "zone_id");
  o.region_code = args.Get("region");
  o.control_level = args.Get("control-level");
  if (args.Has("srid")) {
    std::string s = args.Get("srid");
    auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), o.srid);
    if (e != std::errc() || p != s.data() + s.size())
      return Failure::Usage("--srid: expected an EPSG code, got '" + s + "'");
  }
  if (args.Has("chunk-size")) {
    std::string s = args.Get("chunk-size");
    auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), o.chunk_zones);
    if (e != std::errc() || p != s.data() + s.size() || o.chunk_zones == 0) {
      return Failure::Usage("--chunk-size: expected a positive number of zones, got '" + s + "'");
    }
  }
  std::string path = args.args[0];
  std::string geojson;
  if (path == "-") {
    geojson.assign(std::istreambuf_iterator<char>(*ctx.in), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Failure::Usage("cannot read '" + path + "'");
    geojson.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  NRPCTL_ASSIGN_OR_RETURN(auto requests, ZoneImportRequests(geojson, o));
  std::string address = ServiceAddress(ctx, options, *target.service);
  NRPCTL_ASSIGN_OR_RETURN(auto channel, ChannelTo(ctx, options, address));
  // A large layer takes a while: without --timeout the import may run 10 minutes.
  auto timeout = options.timeout_given ? options.timeout : std::chrono::milliseconds(600000);
  return Invoke(channel, address, target.method, requests, timeout,
                [&](const pb::Message& response) { PrintResponse(ctx, options.json, response); });
}

}  // namespace

std::vector<std::string> FriendlyProblems() {
  std::vector<std::string> problems;
  for (const auto& spec : Specs()) {
    std::string where;
    for (const auto& w : spec.words) where += " " + w;
    where = spec.service + where + ": ";
    auto target = Resolve(spec.service, spec.method);
    if (!target.ok()) {
      problems.push_back(where + target.failure().error.message());
      continue;
    }
    const pb::MethodDescriptor* m = target.value().method;
    for (const auto& f : spec.arg_fields) {
      if (FieldAtPath(m->input_type(), f) == nullptr)
        problems.push_back(where + "no request field " + f);
    }
    for (const auto& f : spec.field_flags) {
      if (FieldAtPath(m->input_type(), f.field) == nullptr) {
        problems.push_back(where + "no request field " + f.field);
      }
    }
    if ((spec.arg_fields.empty() && spec.arg_filters.empty()) != spec.args_usage.empty()) {
      problems.push_back(where + "arguments without usage text, or usage text without arguments");
    }
    if (!IsListMethod(m)) {
      if (!spec.columns.empty() || !spec.filter_flags.empty() || !spec.arg_filters.empty()) {
        problems.push_back(where + m->name() + " is not a list method but has columns or filters");
      }
      continue;
    }
    const pb::Descriptor* item = ItemsField(m->output_type())->message_type();
    for (const auto& f : spec.filter_flags) {
      if (FieldAtPath(item, f.field) == nullptr)
        problems.push_back(where + "no " + item->name() + " field " + f.field);
    }
    for (const auto& f : spec.arg_filters) {
      if (FieldAtPath(item, f) == nullptr)
        problems.push_back(where + "no " + item->name() + " field " + f);
    }
    for (const auto& c : spec.columns) {
      if (FieldAtPath(item, c.path) == nullptr)
        problems.push_back(where + "no " + item->name() + " column " + c.path);
    }
  }
  return problems;
}

void AddServiceCommands(Command& root) {
  std::vector<FriendlySpec> specs = Specs();
  for (const ServiceInfo& service : kServices) {
    Command& group =
        root.Add(std::string(service.cli), "Commands of the " + std::string(service.name) +
                                               " service (" + std::string(service.full_name) + ")");
    std::string name(service.name);
    group.Add("methods", "List the service's rpcs with their kind, types and description")
        .Example("nrpctl " + std::string(service.cli) + " methods")
        .Run(Wrap([name](Context& ctx, const ParsedArgs&, const GlobalOptions& options) -> Done {
          NRPCTL_ASSIGN_OR_RETURN(const pb::ServiceDescriptor* sd,
                                  ServiceDescriptorOf(*FindService(name)));
          return PrintMethods(ctx, options, sd);
        }));
    group.Add("call", "Call any rpc of this service with a JSON request (like 'nrpctl call')")
        .Args("<Method>", 1, 1)
        .Flag({"data", "JSON|@FILE|-", "the request as JSON, @FILE to read a file, - for stdin"})
        .Example("nrpctl " + std::string(service.cli) + " call <Method> --data '{…}'")
        .Run(Wrap([name](Context& ctx, const ParsedArgs& args, const GlobalOptions& options) {
          return CallMethod(ctx, args, options, *FindService(name), args.args[0]);
        }));
    for (const auto& spec : specs) {
      if (spec.service == service.name) AddFriendly(group, spec);
    }
    if (service.name == "planning") {
      group.Add("check", "Check a geometry and an intended use against the control zones in force")
          .Describe(
              "Calls nrp.planning.v1.PlanningService.CheckConflicts and prints the verdict\n"
              "(allowed / needs approval / forbidden), every zone touched with its overlap and\n"
              "rule, and the layer versions used.")
          .Flag({"use", "USE", "intended use, e.g. urban_construction, open_pit_mining (required)"})
          .Flag({"wkt", "WKT|@FILE", "the geometry as WKT, lon/lat (CGCS2000)"})
          .Flag({"geojson", "JSON|@FILE", "the geometry as a GeoJSON geometry object"})
          .Flag({"srid", "EPSG", "coordinate reference system (default 4490)"})
          .Flag({"region", "CODE", "only the layers of this region"})
          .Flag({"layer-kind", "KIND", "only layers of this kind", true})
          .Flag({"as-of", "TIME", "check against the versions in force at this RFC 3339 time"})
          .Example(
              "nrpctl planning check --use urban_construction --wkt 'POLYGON((112.40 34.60, 112.41 "
              "34.60, 112.41 34.61, 112.40 34.61, 112.40 34.60))' --region 410300")
          .Run(Wrap(Check));
      group.Add("import-zones", "Import a GeoJSON FeatureCollection into a draft layer version")
          .Args("<FILE.geojson|->", 1, 1)
          .Describe(
              "Streams the features as zones to nrp.planning.v1.PlanningService.ImportZones in\n"
              "chunks. Each feature: zone id from properties.zone_id (see --id-property) or the\n"
              "feature id, name and control_level and region_code from its properties, the "
              "geometry\n"
              "as GeoJSON, every other property as an attribute. Prints the import's counts and "
              "the\n"
              "rejected zones with their reasons. Without --timeout the import may take 10 "
              "minutes.")
          .Flag({"layer", "LAYER_ID", "the zone layer (required)"})
          .Flag({"version", "N", "the draft version to import into (required)"})
          .Flag({"request-id", "UUID", "idempotency key of the import (default: a fresh one)"})
          .Flag({"id-property", "NAME", "property holding the zone id (default zone_id)"})
          .Flag({"region", "CODE", "region code for features without properties.region_code"})
          .Flag({"control-level", "LEVEL",
                 "control level for features without properties.control_level"})
          .Flag({"srid", "EPSG", "coordinate reference system of the file (default 4490)"})
          .Flag({"chunk-size", "N",
                 "zones per stream message (default 500; messages stay under 3 MiB)"})
          .Example(
              "nrpctl planning import-zones red_line_410300.geojson --layer "
              "410300-ecological-red-line --version 2")
          .Run(Wrap(ImportZones));
    }
  }
}

}  // namespace nrp::nrpctl::internal

namespace nrp::nrpctl {

std::vector<std::string> CheckFriendlyCommands() { return internal::FriendlyProblems(); }

}  // namespace nrp::nrpctl
