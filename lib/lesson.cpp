#include "lib/lesson.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
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

// A name a picture list may hold: a file right in the folder, not a hidden one
// (the list itself is hidden), so a list edited by hand cannot reach elsewhere.
bool plain_file_name(std::string_view name) {
    return !name.empty() && name.front() != '.' && name.find('/') == std::string_view::npos;
}

std::vector<std::string> read_picture_list(const std::string& path) {
    std::vector<std::string> names;
    std::ifstream in(path);  // no list yet: nothing to remove
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line.front() != '#') names.push_back(line);
    return names;
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

PictureFolder::PictureFolder(std::string dir) : dir_(std::move(dir)) {
    // the default folder names the lesson: build/release/plots/lesson03 -> lesson03
    std::filesystem::path folder = std::filesystem::path(dir_).lexically_normal();
    if (!folder.has_filename()) folder = folder.parent_path();  // "plots/lesson03/"
    const std::string lesson = folder.filename().string();
    list_name_ = "." + (plain_file_name(lesson) ? lesson : std::string("lesson")) + "_pictures.txt";
}

void PictureFolder::add_flags(Flags& flags) {
    flags.add("--plot-dir", dir_, "DIR", "where to write the pictures (PNG)");
    flags.add_switch("--no-plots,--no-plot", off_, "do not write the pictures");
}

void PictureFolder::create() const {
    if (on()) ensure_directory(dir_);
}

std::string PictureFolder::file(std::string_view name) const {
    if (!plain_file_name(name))
        throw ValueError(fmt::format("PictureFolder::file: '{}' is not a picture's file name: give a name without a "
                                     "folder, not starting with '.'",
                                     name));
    written_.emplace_back(name);
    return (std::filesystem::path(dir_) / name).string();
}

std::string PictureFolder::list_path() const { return (std::filesystem::path(dir_) / list_name_).string(); }

// Removes what the last run's list names and this run did not write; then this
// run's list replaces it.
void PictureFolder::replace_old_pictures() const {
    std::vector<std::string> now = written_;
    std::sort(now.begin(), now.end());
    now.erase(std::unique(now.begin(), now.end()), now.end());
    for (const std::string& old : read_picture_list(list_path())) {
        if (!plain_file_name(old) || std::binary_search(now.begin(), now.end(), old)) continue;
        const std::filesystem::path stale = std::filesystem::path(dir_) / old;
        std::error_code error;
        if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(stale, error))) continue;  // gone already
        if (!std::filesystem::remove(stale, error) && error)
            fmt::print(stderr, "warning: {}: could not remove this picture of an earlier run ({})\n", stale.string(),
                       error.message());
    }
    std::string list = "# The pictures the lesson wrote here in its last run: the next run removes those it does "
                       "not write again.\n";
    for (const std::string& name : now) list += name + "\n";
    write_file_atomically(list_path(), list, "the list of pictures");
}

void PictureFolder::print_where() const {
    if (!on()) return;
    replace_old_pictures();
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
