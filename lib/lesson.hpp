#pragma once
// What every lesson's main.cpp uses to read like the walkthrough: headings, and a
// wrapper that turns any error into one clear message instead of a crash.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
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

class Flags;

// Where a lesson's pictures go, and the switches that move or stop them:
//
//   PictureFolder pictures(WB_BINARY_DIR "/plots/lesson03");
//   pictures.add_flags(flags);          // --plot-dir DIR, --no-plots (alias --no-plot)
//   ...inside run_lesson:
//   pictures.create();                  // now, so a bad --plot-dir stops the lesson at once
//   if (pictures.on()) write_heatmap(pictures.file("attention_weights.png"), ...);
//   pictures.print_where();             // the last line: "pictures: build/release/plots/lesson03/"
//
// A folder keeps the files of earlier runs, and a picture of a run with other
// flags (a head that this run does not have) would mislead. So the folder holds a
// list of the files the lesson wrote there last time, .lesson03_pictures.txt (named
// after the default folder, so lessons sharing a --plot-dir keep separate lists),
// and print_where removes those this run did not write again. Nothing else is ever
// removed: a file the lesson did not write stays, whatever its name.
class PictureFolder {
public:
    explicit PictureFolder(std::string dir);
    void add_flags(Flags& flags);
    bool on() const { return !off_; }
    // The folder (made with its parents); DataError naming it if it cannot hold files.
    void create() const;
    // dir/name, remembered as one of this run's pictures (name is a file name, no folder).
    std::string file(std::string_view name) const;
    // Ends a run that wrote its pictures: removes the files the list names that this
    // run did not write, lists this run's, and prints "pictures: DIR/", DIR relative
    // to the current folder when it lies below it. With --no-plots it does nothing
    // (and prints nothing, so the golden tests' output is the same on every machine).
    void print_where() const;
    // dir/.lessonNN_pictures.txt
    std::string list_path() const;

private:
    void replace_old_pictures() const;

    std::string dir_;
    std::string list_name_;
    bool off_ = false;
    mutable std::vector<std::string> written_;  // what file() handed out in this run
};

// Runs a lesson's body; an exception becomes "error: <message>" on stderr and
// exit code 1, so a student sees what went wrong, not "terminate called...".
int run_lesson(const std::function<void()>& body);

}  // namespace wb
