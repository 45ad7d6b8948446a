// nst: the libnst command-line app.
// defines: the argument parser (CLI11) and the subcommands; the work itself is in libnst.

// CLI11: argument parsing, --help, one-line errors.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

// nst::Error and the environment report behind --version.
#include "nst/environment.hpp"
#include "nst/error.hpp"

// The subcommands, and the flag that sets each libnst option (for option errors).
#include "commands.hpp"
#include "flag_checks.hpp"
#include "transfer_flags.hpp"

namespace {

// One line, prefixed with the program name, instead of CLI11's two-line default.
std::string one_line_failure(const CLI::App*, const CLI::Error& e) {
    return std::string("nst: error: ") + e.what() + " (see nst --help)\n";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"nst: neural style transfer (Gatys et al.) and ResNet-50 training on cuDNN/cuBLAS or the CPU"};
    app.failure_message(one_line_failure);
    app.set_version_flag(
        "--version", [] { return nst::format_environment(nst::probe_environment()); },
        "Print libnst's version, build, CUDA/cuDNN/cuBLAS versions and GPUs, then exit");
    app.require_subcommand(0, 1);

    nst::app::Action action;
    nst::app::add_transfer_command(app, action);
    nst::app::add_batch_command(app, action);
    nst::app::add_weights_commands(app, action);
    nst::app::add_train_command(app, action);
    nst::app::add_common_flag_checks(app);

    try {
        app.parse(argc, argv);
        if (!action) {
            std::fputs(app.help().c_str(), stdout);
            return 0;
        }
        return action();
    } catch (const CLI::CallForVersion& e) {
        std::fputs(e.what(), stdout);
        return 0;
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const nst::OptionError& e) {  // libnst's wording, with the flag's name for the option
        std::fprintf(stderr, "nst: error: %s\n",
                     nst::option_message(nst::app::flag_for_option(e.option()), e.detail()).c_str());
        return 1;
    } catch (const nst::Error& e) {
        std::fprintf(stderr, "nst: error: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nst: error: %s\n", e.what());
        return 1;
    }
}
