// A calendar folder of a test's own: a copy of the shipped official years that the test can
// add files to (a made-up arrangement of a later year) while a service watches it.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "nrp/core/calendar.h"

namespace nrp::testing {

class CalendarFolder {
 public:
  CalendarFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "nrp-cal.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    for (const auto& entry : std::filesystem::directory_iterator(DefaultCalendarDir())) {
      if (entry.path().extension() == ".cal") {
        std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename());
      }
    }
  }
  ~CalendarFolder() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  CalendarFolder(const CalendarFolder&) = delete;
  CalendarFolder& operator=(const CalendarFolder&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  // Writes (or replaces) a file of the folder, e.g. Write("CN-2027.cal", "year 2027\n…").
  void Write(const std::string& name, const std::string& text) const {
    std::filesystem::path tmp = dir_ / (name + ".tmp");
    {
      std::ofstream out(tmp);
      out << text;
    }
    std::filesystem::rename(tmp, dir_ / name);  // whole, as an operator's install would be
  }
  void Remove(const std::string& name) const { std::filesystem::remove(dir_ / name); }

 private:
  std::filesystem::path dir_;
};

}  // namespace nrp::testing
