#include "lib/lesson.hpp"

#include <exception>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "lib/colormap.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/plot.hpp"

namespace wb {
namespace {
// Underline length in characters, not bytes, so "ω" counts once.
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}
}  // namespace

void section(std::string_view title) {
    fmt::print("\n{}\n{}\n", title, std::string(display_width(title), '='));
}

void heading(std::string_view title) {
    fmt::print("\n{}\n{}\n", title, std::string(display_width(title), '-'));
}

void note(std::string_view text) { fmt::print("{}\n", text); }

std::vector<std::string> alignment_lines(const Tensor& weights, const std::vector<std::string>& rows,
                                         const std::vector<std::string>& cols, bool colour) {
    if (weights.dim() != 2 || weights.size(0) != rows.size() || weights.size(1) != cols.size())
        throw ShapeError(fmt::format("print_alignment: weights of shape {} for {} row and {} column labels",
                                     to_string(weights.shape()), rows.size(), cols.size()));
    std::vector<std::string> lines(1, fmt::format("{:>10}", ""));
    for (const std::string& c : cols) lines[0] += fmt::format("{:>9}", c);
    // weights are probabilities: one scale, 0 to 1, for every matrix, so heads compare
    const std::vector<std::string> cells = colour ? terminal_heatmap(weights, 0.0, 1.0) : std::vector<std::string>();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::string line = fmt::format("{:>10}", rows[i]);
        for (std::size_t j = 0; j < cols.size(); ++j) line += fmt::format("{:>9.4f}", weights(i, j));
        if (colour) line += "   " + cells[i];
        lines.push_back(line);
    }
    return lines;
}

void print_alignment(const Tensor& weights, const std::vector<std::string>& rows,
                     const std::vector<std::string>& cols) {
    for (const std::string& line : alignment_lines(weights, rows, cols, colour_terminal())) note(line);
}

void PictureFolder::add_flags(Flags& flags) {
    flags.add("--plot-dir", dir_, "DIR", "where to write the pictures (PNG)");
    flags.add_switch("--no-plots,--no-plot", off_, "do not write the pictures");
}

void PictureFolder::create() const {
    if (on()) ensure_directory(dir_);
}

std::string PictureFolder::file(std::string_view name) const { return (std::filesystem::path(dir_) / name).string(); }

void PictureFolder::print_where() const {
    if (!on()) return;
    std::error_code error;
    const std::filesystem::path here = std::filesystem::current_path(error);
    std::filesystem::path shown = std::filesystem::absolute(dir_, error).lexically_normal();
    if (!here.empty()) {
        const std::filesystem::path relative = shown.lexically_relative(here);
        if (!relative.empty() && *relative.begin() != "..") shown = relative;  // below here: shorter to read
    }
    std::string text = shown.string();
    if (text.empty() || text.back() != '/') text += '/';
    fmt::print("\npictures: {}\n", text);
}

int run_lesson(const std::function<void()>& body) {
    try {
        body();
        return 0;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
}

}  // namespace wb
