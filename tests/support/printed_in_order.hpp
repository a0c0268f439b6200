#pragma once
// Walkthrough tests: every record the oracle printed with torch appears verbatim
// in a lesson's output, in the order the lesson prints them.
#include <string>
#include <vector>

#include "lib/reference_file.hpp"

namespace wb::testing {

// Each record's printed text must be found after the previous one's, so a short
// one like "tensor(1.)" cannot match somewhere else. With a prefix, the records
// are looked up as prefix + name (the oracle's runs with other seeds).
void expect_printed_in_order(const std::string& output, const ReferenceFile& oracle,
                             const std::vector<std::string>& names, const std::string& prefix = "");

}  // namespace wb::testing
