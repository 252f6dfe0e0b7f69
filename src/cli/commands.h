// The `hastewatch` subcommands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "server/app.h"

namespace hw::cli {

// serve: runs until SIGINT or SIGTERM, then stops gracefully; 0 on a clean stop.
int Serve(const server::ServeOptions& options);

// check-config FILE...: validates each file without starting; 0 if all are valid.
int CheckConfig(const std::vector<std::string>& files);

}  // namespace hw::cli
