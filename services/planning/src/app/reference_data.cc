#include "app/reference_data.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/indicator.h"
#include "nrp/common/v1/document.pb.h"
#include "nrp/db/transaction.h"
#include "nrp/planning/v1/planning.pb.h"
#include "store/plan_store.h"

namespace nrp::planning::app {

namespace fs = std::filesystem;

Result<LoadReport> LoadReferenceData(db::Pool& pool, const std::string& data_dir,
                                     const Clock& clock) {
  const fs::path dir = fs::path(data_dir) / "plans";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error::InvalidArgument("NRP_PLANNING_DATA_DIR",
                                  dir.string() + " is not a folder of plan files");
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Plan> plans;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in.good() && !in.eof()) return Error::InvalidArgument(f.string(), "cannot be read");
    NRP_ASSIGN_OR_RETURN(Plan p, ParsePlan(ss.str(), f.filename().string()));
    plans.push_back(std::move(p));
  }
  LoadReport report;
  const TimePoint now = clock.Now();
  NRP_RETURN_IF_ERROR(db::Transact(pool, [&](pqxx::work& tx) -> Status {
    for (const Plan& p : plans) {
      store::PlanRow row;
      row.plan_id = p.plan_id;
      row.name = p.title;
      row.region_code = p.region_code;
      row.period_start_year = p.base_year + 1;
      row.period_end_year = p.target_year;
      row.base_year = p.base_year;
      nrp::common::v1::DocumentReference doc;
      doc.set_kind(nrp::common::v1::DOCUMENT_KIND_OTHER);
      doc.set_title(p.title +
                    (p.status_of_document.empty() ? "" : "（" + p.status_of_document + "）"));
      doc.set_issuer(p.region_name);
      doc.set_uri(p.source_file);
      doc.SerializeToString(&row.document);
      row.state = store::PlanState::kInForce;
      row.reference_data = p.plan_id + ".json";
      row.create_time = row.update_time = now;
      NRP_RETURN_IF_ERROR(store::UpsertPlan(tx, row));
      ++report.plans;
      int position = 0;
      for (const Indicator& i : p.indicators) {
        store::IndicatorRow r;
        const std::string suffix = i.code.substr(i.code.rfind('-') + 1);
        r.indicator_id = p.plan_id + "-" + suffix;
        r.plan_id = p.plan_id;
        r.code = i.code;
        r.position = ++position;
        r.name = i.name;
        r.category = i.group;
        r.unit = i.unit;
        r.base_value = i.base;
        r.target = i.target;
        r.target_as_written = i.target_as_written;
        r.target_year = i.target_year;
        r.nature = i.attribute;
        r.measure = i.measure;
        r.trajectory_base = i.trajectory_base;
        r.annual = i.annual;
        r.source_note = i.source.file + " L" + std::to_string(i.source.line) + ": " + i.source.text;
        if (!i.comparator_basis.empty()) r.source_note += " — " + i.comparator_basis;
        r.status = nrp::planning::v1::PROGRESS_STATUS_NO_DATA;
        r.create_time = r.update_time = now;
        NRP_RETURN_IF_ERROR(store::UpsertIndicator(tx, r));
        ++report.indicators;
      }
    }
    return Ok();
  }));
  return report;
}

}  // namespace nrp::planning::app
