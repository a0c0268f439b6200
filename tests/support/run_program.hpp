#pragma once
// Runs a shell command and returns what it printed on stdout (tests of whole
// lesson programs). The test fails if the command exits with an error.
#include <string>
#include <vector>

namespace wb::testing {

std::string run_program(const std::string& command);

// The decimal numbers a program printed ("0.4300", "-1.2e-05"), in order.
std::vector<double> numbers(const std::string& text);

}  // namespace wb::testing
