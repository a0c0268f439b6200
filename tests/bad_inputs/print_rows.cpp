// Prints the bad-input table of lib/ (rows.cpp):
//   print_rows --markdown       the table for tests/bad_inputs/README.md (readme.sh uses it)
//   print_rows --outcomes DIR   each row's id and what it gives now (for writing a new row)
#include <cstdio>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "tests/bad_inputs/rows.hpp"

namespace {
// A table cell: code in backticks, pipes escaped, one line.
std::string cell(std::string text, bool code) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return code ? "`" + out + "`" : out;
}
}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    const auto& rows = wb::testing::bad_inputs();
    if (mode == "--markdown" && argc == 2) {
        fmt::print("| # | call | what happens |\n|---|---|---|\n");
        int n = 0;
        for (const auto& row : rows) fmt::print("| {} | {} | {} |\n", ++n, cell(row.call, true), cell(row.expected, false));
        return 0;
    }
    if (mode == "--outcomes" && argc == 3) {
        std::filesystem::create_directories(argv[2]);
        for (const auto& row : rows) fmt::print("{}\t{}\n", row.id, wb::testing::outcome(row, argv[2]));
        return 0;
    }
    std::fprintf(stderr, "usage: print_rows --markdown | --outcomes DIR\n");
    return 2;
}
