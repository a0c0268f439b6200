#pragma once
// Runs a shell command and returns what it printed on stdout (tests of whole
// lesson programs). The test fails if the command exits with an error.
#include <string>

namespace wb::testing {

std::string run_program(const std::string& command);

}  // namespace wb::testing
