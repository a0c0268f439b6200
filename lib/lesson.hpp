#pragma once
// What every lesson's main.cpp uses to read like the walkthrough: headings, and a
// wrapper that turns any error into one clear message instead of a crash.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

// A section of the book, underlined with '=': section("3.3.1 A simple self-attention ...").
void section(std::string_view title);
// One step of the walkthrough, underlined with '-'.
void heading(std::string_view title);
// A line of explanation between the numbers.
void note(std::string_view text);

// A matrix of attention weights as a labelled grid, 4 decimals: a row per query
// token, a column per key token (the layout of the book's figures). On a terminal
// each row is followed by its weights as coloured cells, 0 dark to 1 light.
void print_alignment(const Tensor& weights, const std::vector<std::string>& rows,
                     const std::vector<std::string>& cols);
// The lines print_alignment prints, with the coloured cells when `colour` is on.
std::vector<std::string> alignment_lines(const Tensor& weights, const std::vector<std::string>& rows,
                                         const std::vector<std::string>& cols, bool colour);

// Runs a lesson's body; an exception becomes "error: <message>" on stderr and
// exit code 1, so a student sees what went wrong, not "terminate called...".
int run_lesson(const std::function<void()>& body);

}  // namespace wb
