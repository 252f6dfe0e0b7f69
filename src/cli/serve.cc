#include <signal.h>

#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"

namespace hw::cli {

int Serve(const server::ServeOptions& options) {
  // Block the signals we handle before any thread starts, so every thread inherits
  // the mask and only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Result<std::unique_ptr<server::App>> app = server::App::Create(options);
  if (!app.ok()) {
    fmt::print(stderr, "hastewatch: {}\n", app.status().message());
    return 1;
  }
  if (Status s = (*app)->Start(); !s.ok()) {
    (*app)->logger().Error("cannot start", {}, nullptr);
    fmt::print(stderr, "hastewatch: {}\n", s.message());
    return 1;
  }
  fmt::print(stderr, "hastewatch is listening on http://{}  (Ctrl-C stops it)\n",
             (*app)->address());
  std::fflush(stderr);

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      (void)(*app)->Reload();  // logs its outcome; a bad file leaves the old config running
      continue;
    }
    (*app)->logger().Info("signal received, shutting down",
                          {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    break;
  }
  (*app)->Stop();
  return 0;
}

}  // namespace hw::cli
