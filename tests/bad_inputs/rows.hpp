#pragma once
// The bad-input table of lib/: each row is a call with an input lib must refuse
// (or survive), and what happens, word for word. The rows are the single source of
// truth: test_rows.cpp runs each one as a test, and print_rows (`--markdown`)
// writes them into tests/bad_inputs/README.md, which a test keeps current.
#include <functional>
#include <string>
#include <vector>

namespace wb::testing {

struct BadInput {
    std::string id;        // the test's name: bad_inputs/lib/<id>
    std::string call;      // what is called, as code
    std::string expected;  // "ShapeError: <message>", or what it returns; {dir} is the scratch folder
    // Runs the call in the scratch folder dir (for rows that write a file first)
    // and describes what it returned; a row meant to fail throws.
    std::function<std::string(const std::string& dir)> run;
};

const std::vector<BadInput>& bad_inputs();

// What running the row gives: "<Kind>: <message>" for wb's exceptions, else the
// row's description of the result. Never throws.
std::string outcome(const BadInput& row, const std::string& dir);

}  // namespace wb::testing
