#include "lib/progress.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

namespace wb {

ProgressBar::ProgressBar(std::string label, std::size_t total)
    : label_(std::move(label)),
      total_(total),
      terminal_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

double ProgressBar::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(std::size_t done, float loss) {
    done_ = done;
    if (!terminal_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100) && done != total_) return;
    last_draw_ = now;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ == 0 ? kWidth : kWidth * done / total_;
    const double rate = static_cast<double>(done) / std::max(seconds(), 1e-9);
    fmt::print(stderr, "\r{} [{}{}] {}/{} {:.0f} steps/s loss {:.4f}\033[K", label_, std::string(filled, '#'),
               std::string(kWidth - filled, '.'), done, total_, rate, loss);
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::clear() {
    if (drawn_) fmt::print(stderr, "\r\033[K");
    drawn_ = false;
}

void ProgressBar::print(std::string_view line) {
    clear();
    fmt::print("{}\n", line);
    std::fflush(stdout);
}

void ProgressBar::finish() {
    clear();
    const double s = seconds();
    fmt::print(stderr, "{}: {} steps in {:.1f} s ({:.0f} steps/s)\n", label_, done_, s,
               static_cast<double>(done_) / std::max(s, 1e-9));
}

}  // namespace wb
