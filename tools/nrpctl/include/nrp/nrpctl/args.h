// Command-line parsing without a third-party library: a tree of commands
// (groups hold sub-commands, leaves run a handler), flags declared per
// command plus global flags accepted anywhere, `--flag value`,
// `--flag=value`, `-h`, and `--` to end flags. Help text is rendered from the
// same declarations, so every command and group has --help.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/nrpctl/context.h"

namespace nrp::nrpctl {

struct FlagSpec {
  std::string name;        // without the dashes, e.g. "data"
  std::string value_name;  // e.g. "JSON"; empty for a switch (--json)
  std::string help;        // one line
  bool repeated = false;   // may be given more than once
};

class ParsedArgs;
using Handler = std::function<int(Context&, const ParsedArgs&)>;

class Command {
 public:
  Command(std::string name, std::string summary)
      : name_(std::move(name)), summary_(std::move(summary)) {}

  // Adds a sub-command and returns it (the tree owns it).
  Command& Add(std::string name, std::string summary);
  // The sub-command named `word` ('_' and '-' are the same), or null.
  const Command* Child(std::string_view word) const;
  Command* MutableChild(std::string_view word) { return const_cast<Command*>(Child(word)); }

  Command& Args(std::string usage, int min, int max) {
    args_usage_ = std::move(usage);
    min_args_ = min;
    max_args_ = max;
    return *this;
  }
  Command& Describe(std::string text) {
    description_ = std::move(text);
    return *this;
  }
  Command& Flag(FlagSpec flag) {
    flags_.push_back(std::move(flag));
    return *this;
  }
  Command& Example(std::string text) {
    examples_.push_back(std::move(text));
    return *this;
  }
  Command& Run(Handler handler) {
    handler_ = std::move(handler);
    return *this;
  }

  const std::string& name() const { return name_; }
  const std::string& summary() const { return summary_; }
  const std::string& args_usage() const { return args_usage_; }
  const std::string& description() const { return description_; }
  const std::vector<FlagSpec>& flags() const { return flags_; }
  const std::vector<std::string>& examples() const { return examples_; }
  const std::vector<std::unique_ptr<Command>>& children() const { return children_; }
  const Handler& handler() const { return handler_; }
  const Command* parent() const { return parent_; }
  int min_args() const { return min_args_; }
  int max_args() const { return max_args_; }  // -1: any number
  bool is_group() const { return !children_.empty() && !handler_; }
  // "nrpctl planning layers list".
  std::string Path() const;
  // Every command of the subtree (this one first), depth first.
  void Walk(const std::function<void(const Command&)>& visit) const;

 private:
  std::string name_;
  std::string summary_;
  std::string args_usage_;
  std::string description_;
  std::vector<FlagSpec> flags_;
  std::vector<std::string> examples_;
  std::vector<std::unique_ptr<Command>> children_;
  Handler handler_;
  const Command* parent_ = nullptr;
  int min_args_ = 0;
  int max_args_ = 0;
};

class ParsedArgs {
 public:
  const Command* command = nullptr;
  std::vector<std::string> args;  // positional arguments after the command words
  bool help = false;

  bool Has(std::string_view flag) const { return flags_.count(std::string(flag)) > 0; }
  // The last value given, or `fallback`.
  std::string Get(std::string_view flag, std::string fallback = "") const;
  std::vector<std::string> GetAll(std::string_view flag) const;
  // A switch: given without a value or with true/1/yes/on.
  bool Switch(std::string_view flag) const;
  void Set(std::string flag, std::string value) {
    flags_[std::move(flag)].push_back(std::move(value));
  }

 private:
  std::map<std::string, std::vector<std::string>> flags_;
};

// Parses argv (without the program name) against the tree rooted at `root`.
// Fails with kExitUsage naming the unknown command, the unknown flag, the
// missing flag value or the wrong number of arguments (not checked with
// --help). A group reached without --help is a usage failure listing its
// sub-commands.
Outcome<ParsedArgs> Parse(const Command& root, const std::vector<FlagSpec>& global_flags,
                          const std::vector<std::string>& argv);

// The help page of a command or group.
std::string Help(const Command& command, const std::vector<FlagSpec>& global_flags);

}  // namespace nrp::nrpctl
