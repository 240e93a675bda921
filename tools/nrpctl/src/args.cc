#include "nrp/nrpctl/args.h"

#include <algorithm>
#include <optional>
#include <sstream>

namespace nrp::nrpctl {
namespace {

std::string Normalize(std::string_view word) {
  std::string out(word);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags, std::string_view name) {
  for (const auto& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string ChildList(const Command& group) {
  std::string out;
  for (const auto& c : group.children()) {
    if (!out.empty()) out += ", ";
    out += c->name();
  }
  return out;
}

std::string SeeHelp(const Command& command) {
  return "run '" + command.Path() + " --help' for usage";
}

void AppendFlags(std::ostringstream& s, const std::vector<FlagSpec>& flags) {
  size_t width = 0;
  std::vector<std::string> lefts;
  for (const auto& f : flags) {
    std::string left = "--" + f.name;
    if (!f.value_name.empty()) left += " " + f.value_name;
    width = std::max(width, left.size());
    lefts.push_back(std::move(left));
  }
  for (size_t i = 0; i < flags.size(); ++i) {
    s << "  " << lefts[i] << std::string(width - lefts[i].size() + 2, ' ') << flags[i].help;
    if (flags[i].repeated) s << " (repeatable)";
    s << "\n";
  }
}

}  // namespace

Command& Command::Add(std::string name, std::string summary) {
  children_.push_back(std::make_unique<Command>(std::move(name), std::move(summary)));
  children_.back()->parent_ = this;
  return *children_.back();
}

const Command* Command::Child(std::string_view word) const {
  std::string w = Normalize(word);
  for (const auto& c : children_) {
    if (Normalize(c->name()) == w) return c.get();
  }
  return nullptr;
}

std::string Command::Path() const {
  if (parent_ == nullptr) return name_;
  return parent_->Path() + " " + name_;
}

void Command::Walk(const std::function<void(const Command&)>& visit) const {
  visit(*this);
  for (const auto& c : children_) c->Walk(visit);
}

std::string ParsedArgs::Get(std::string_view flag, std::string fallback) const {
  auto it = flags_.find(std::string(flag));
  if (it == flags_.end() || it->second.empty()) return fallback;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(std::string_view flag) const {
  auto it = flags_.find(std::string(flag));
  if (it == flags_.end()) return {};
  return it->second;
}

bool ParsedArgs::Switch(std::string_view flag) const {
  auto it = flags_.find(std::string(flag));
  if (it == flags_.end()) return false;
  const std::string& v = it->second.back();
  return v.empty() || v == "true" || v == "1" || v == "yes" || v == "on";
}

Outcome<ParsedArgs> Parse(const Command& root, const std::vector<FlagSpec>& global_flags,
                          const std::vector<std::string>& argv) {
  ParsedArgs parsed;
  const Command* current = &root;
  std::optional<Failure> first_problem;
  auto problem = [&](std::string message) {
    if (!first_problem) first_problem = Failure::Usage(std::move(message));
  };
  bool flags_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& token = argv[i];
    if (!flags_done && token == "--") {
      flags_done = true;
      continue;
    }
    if (!flags_done && (token == "-h" || token == "--help")) {
      parsed.help = true;
      continue;
    }
    if (!flags_done && token.size() > 2 && token.compare(0, 2, "--") == 0) {
      std::string name = token.substr(2);
      std::optional<std::string> inline_value;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
      const FlagSpec* spec = FindFlag(current->flags(), name);
      if (spec == nullptr) spec = FindFlag(global_flags, name);
      if (spec == nullptr) {
        problem("unknown flag --" + name + " for '" + current->Path() + "'; " + SeeHelp(*current));
        continue;
      }
      if (spec->value_name.empty()) {
        std::string v = inline_value.value_or("");
        if (!v.empty() && v != "true" && v != "false" && v != "1" && v != "0" && v != "yes" &&
            v != "no" && v != "on" && v != "off") {
          problem("--" + name + " is a switch; it takes no value (got '" + v + "')");
          continue;
        }
        parsed.Set(name, v);
        continue;
      }
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < argv.size()) {
        value = argv[++i];
      } else {
        problem("--" + name + " needs a value (" + spec->value_name + ")");
        continue;
      }
      if (!spec->repeated && parsed.Has(name)) {
        problem("--" + name + " given twice");
        continue;
      }
      parsed.Set(name, std::move(value));
      continue;
    }
    if (!flags_done && token.size() > 1 && token[0] == '-' && token != "-") {
      problem("unknown flag " + token + " for '" + current->Path() + "'; " + SeeHelp(*current));
      continue;
    }
    // A word: a sub-command while inside a group, else a positional argument.
    if (current->is_group() && !flags_done) {
      const Command* child = current->Child(token);
      if (child == nullptr) {
        problem("unknown command '" + token + "' for '" + current->Path() +
                "'; commands: " + ChildList(*current));
        continue;
      }
      current = child;
      continue;
    }
    parsed.args.push_back(token);
  }
  parsed.command = current;
  if (parsed.help) return parsed;
  if (first_problem) return *first_problem;
  if (current->is_group()) {
    if (current == &root) {
      return Failure::Usage("missing command; commands: " + ChildList(*current) + "; " +
                            SeeHelp(*current));
    }
    return Failure::Usage("'" + current->Path() + "' needs a command: " + ChildList(*current) +
                          "; " + SeeHelp(*current));
  }
  int n = static_cast<int>(parsed.args.size());
  if (n < current->min_args() || (current->max_args() >= 0 && n > current->max_args())) {
    std::string expected = current->args_usage().empty() ? "no arguments" : current->args_usage();
    return Failure::Usage("'" + current->Path() + "' takes " + expected + ", got " +
                          std::to_string(n) + " argument" + (n == 1 ? "" : "s") + "; " +
                          SeeHelp(*current));
  }
  return parsed;
}

std::string Help(const Command& command, const std::vector<FlagSpec>& global_flags) {
  std::ostringstream s;
  s << "Usage: " << command.Path();
  if (command.is_group()) {
    s << " <command>";
  } else if (!command.args_usage().empty()) {
    s << " " << command.args_usage();
  }
  s << " [flags]\n\n" << command.summary() << "\n";
  if (!command.description().empty()) s << "\n" << command.description() << "\n";
  if (command.is_group()) {
    s << "\nCommands:\n";
    size_t width = 0;
    for (const auto& c : command.children()) width = std::max(width, c->name().size());
    for (const auto& c : command.children()) {
      s << "  " << c->name() << std::string(width - c->name().size() + 2, ' ') << c->summary()
        << "\n";
    }
  }
  if (!command.flags().empty()) {
    s << "\nFlags:\n";
    AppendFlags(s, command.flags());
  }
  if (command.parent() == nullptr) {
    s << "\nGlobal flags (accepted by every command):\n";
    AppendFlags(s, global_flags);
  } else {
    s << "\nGlobal flags:";
    for (const auto& f : global_flags) s << " --" << f.name;
    s << " (see '" << command.Path().substr(0, command.Path().find(' ')) << " --help')\n";
  }
  if (!command.examples().empty()) {
    s << "\nExamples:\n";
    for (const auto& e : command.examples()) s << "  " << e << "\n";
  }
  if (command.is_group()) {
    s << "\nRun '" << command.Path() << " <command> --help' for a command's flags.\n";
  }
  return s.str();
}

}  // namespace nrp::nrpctl
