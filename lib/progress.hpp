#pragma once
// A progress bar for long loops. It is drawn on stderr, and only when stderr is a
// terminal, so logs and the golden-output tests see only what the lesson prints.
//
//   ProgressBar bar("training", steps);
//   for (...) { ...; bar.update(step + 1, loss); }
//   bar.finish();          // "training: 200000 steps in 9.1 s (21,978 steps/s)" on stderr
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace wb {

class ProgressBar {
public:
    ProgressBar(std::string label, std::size_t total);
    // Redraws at most ten times a second: the bar, the count, the speed and the loss.
    void update(std::size_t done, float loss);
    // A line of output on stdout that must not be tangled with the bar.
    void print(std::string_view line);
    // Clears the bar and reports the time taken (stderr, also when not a terminal).
    void finish();
    double seconds() const;

private:
    void clear();

    std::string label_;
    std::size_t total_, done_ = 0;
    bool terminal_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace wb
