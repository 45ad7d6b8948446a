// The nst app's subcommands. Each add_* registers its options on `app`; when its subcommand is the one
// given, `action` is set to the function that does the work and returns the exit status.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace nst::app {

using Action = std::function<int()>;

void add_transfer_command(CLI::App& app, Action& action);
void add_batch_command(CLI::App& app, Action& action);
void add_weights_commands(CLI::App& app, Action& action);
void add_train_command(CLI::App& app, Action& action);

}  // namespace nst::app
