#pragma once
// What every lesson's main.cpp uses to read like the walkthrough: headings, and a
// wrapper that turns any error into one clear message instead of a crash.
#include <functional>
#include <string_view>

namespace wb {

// A section of the book, underlined with '=': section("3.3.1 A simple self-attention ...").
void section(std::string_view title);
// One step of the walkthrough, underlined with '-'.
void heading(std::string_view title);
// A line of explanation between the numbers.
void note(std::string_view text);

// Runs a lesson's body; an exception becomes "error: <message>" on stderr and
// exit code 1, so a student sees what went wrong, not "terminate called...".
int run_lesson(const std::function<void()>& body);

}  // namespace wb
