#pragma once
// The benchmarks' PyTorch side: a Python script run with Debian's /usr/bin/python3,
// printing "key value" lines for the C++ side to read. Torch is never needed to build
// or test; without it the benchmarks say so and report C++ alone.
#include <optional>
#include <string>
#include <vector>

namespace wb {

// Runs `[environment] /usr/bin/python3 script arguments...` and returns the lines it
// printed on stdout (stderr is discarded), without their line ends; no lines when
// python3 is missing or the script fails. environment is e.g. "OPENBLAS_NUM_THREADS=1".
std::vector<std::string> run_python(const std::string& script, const std::vector<std::string>& arguments,
                                    const std::string& environment = "");

// The rest of the first line that starts with key and a space: "torch_version 1.13.0".
std::optional<std::string> find_value(const std::vector<std::string>& lines, const std::string& key);

}  // namespace wb
