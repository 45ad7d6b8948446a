#include "stop_signals.hpp"

#include <csignal>

namespace nst::app {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int sig) {
    int expected = 0;
    g_signal.compare_exchange_strong(expected, sig);  // the first signal names the stop
    g_stop = true;
}

}  // namespace

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
    std::signal(SIGXFSZ, SIG_IGN);
}

const std::atomic<bool>& stop_requested() {
    return g_stop;
}

int stop_exit_code() {
    const int sig = g_signal.load();
    return sig == 0 ? 0 : 128 + sig;
}

std::string stop_reason() {
    switch (g_signal.load()) {
        case SIGTERM: return "terminated (SIGTERM)";
        case SIGHUP: return "hung up (SIGHUP)";
        default: return "interrupted";
    }
}

}  // namespace nst::app
