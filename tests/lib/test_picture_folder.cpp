// PictureFolder (lib/lesson.hpp): a run removes the pictures an earlier run wrote
// and it did not write again, and never a file the lesson did not write: a
// student's own files in a --plot-dir, another lesson's pictures, whatever a list
// edited by hand names outside the folder.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/plot.hpp"

namespace fs = std::filesystem;

namespace {

// each test process writes its own folder: ctest runs the cases side by side
fs::path scratch(const std::string& name) {
    return fs::temp_directory_path() / ("wb_test_picture_folder_" + std::to_string(getpid())) / name;
}

std::string file_text(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void put(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

// One run of a lesson whose default folder is `folder`, with `args` on its command
// line, writing `pictures` (any bytes stand for a picture here).
void run(const fs::path& folder, const std::vector<std::string>& args, const std::vector<std::string>& pictures) {
    wb::Flags flags("lesson", "a lesson that draws");
    wb::PictureFolder folder_of_run(folder.string());
    folder_of_run.add_flags(flags);
    std::vector<std::string> words = {"lesson"};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    flags.parse(static_cast<int>(argv.size()), argv.data());
    folder_of_run.create();
    if (folder_of_run.on())
        for (const std::string& name : pictures) wb::write_file_atomically(folder_of_run.file(name), "picture " + name);
    folder_of_run.print_where();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(picture_folder)

BOOST_AUTO_TEST_CASE(a_run_with_fewer_pictures_removes_the_stale_ones_and_nothing_else) {
    const fs::path dir = scratch("lesson07");
    fs::remove_all(dir);
    run(dir, {}, {"head0.png", "head1.png", "head5.png"});
    BOOST_TEST(fs::exists(dir / "head5.png"));
    put(dir / "my_notes.png", "the student's own");
    put(dir / "head4.png", "not written by the lesson, though it looks so");
    run(dir, {}, {"head0.png", "head1.png"});
    BOOST_TEST(!fs::exists(dir / "head5.png"), "the picture of the earlier run's extra head is still there");
    BOOST_TEST(fs::exists(dir / "head0.png"));
    BOOST_TEST(fs::exists(dir / "head1.png"));
    BOOST_TEST(file_text(dir / "my_notes.png") == "the student's own");
    BOOST_TEST(fs::exists(dir / "head4.png"));
    BOOST_TEST(file_text(dir / ".lesson07_pictures.txt").ends_with("\nhead0.png\nhead1.png\n"));
    run(dir, {}, {"head0.png"});
    BOOST_TEST(!fs::exists(dir / "head1.png"));  // the list was the second run's, not the first's
    BOOST_TEST(fs::exists(dir / "head4.png"));
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(lessons_sharing_a_plot_dir_keep_separate_lists) {
    const fs::path shared = scratch("shared");
    fs::remove_all(shared);
    const std::vector<std::string> here = {"--plot-dir", shared.string()};
    run(scratch("lesson03"), here, {"attention_weights.png", "attention_scores.png"});
    run(scratch("lesson05"), here, {"causal_mask.png"});
    BOOST_TEST(fs::exists(shared / "attention_weights.png"), "lesson 05 removed lesson 03's picture");
    BOOST_TEST(fs::exists(shared / ".lesson03_pictures.txt"));
    BOOST_TEST(fs::exists(shared / ".lesson05_pictures.txt"));
    run(scratch("lesson03"), here, {"attention_weights.png"});
    BOOST_TEST(!fs::exists(shared / "attention_scores.png"));
    BOOST_TEST(fs::exists(shared / "causal_mask.png"));
    fs::remove_all(shared);
}

BOOST_AUTO_TEST_CASE(no_plots_removes_nothing_and_lists_nothing) {
    const fs::path dir = scratch("lesson04");
    fs::remove_all(dir);
    run(dir, {}, {"a.png", "b.png"});
    run(dir, {"--no-plots"}, {});
    BOOST_TEST(fs::exists(dir / "a.png"));
    BOOST_TEST(fs::exists(dir / "b.png"));
    BOOST_TEST(file_text(dir / ".lesson04_pictures.txt").ends_with("\na.png\nb.png\n"));
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_list_edited_by_hand_reaches_nothing_outside_the_folder) {
    const fs::path dir = scratch("inside/lesson06");
    fs::remove_all(scratch("inside"));
    put(scratch("inside/outside.png"), "outside");
    put(dir / ".hidden.png", "hidden");
    fs::create_directories(dir / "folder.png");
    put(scratch("inside/absolute.png"), "absolute");
    put(dir / ".lesson06_pictures.txt",
        "../outside.png\n.hidden.png\nfolder.png\n" + scratch("inside/absolute.png").string() + "\n");
    run(dir, {}, {"a.png"});
    BOOST_TEST(fs::exists(scratch("inside/outside.png")));
    BOOST_TEST(fs::exists(scratch("inside/absolute.png")));
    BOOST_TEST(fs::exists(dir / ".hidden.png"));
    BOOST_TEST(fs::is_directory(dir / "folder.png"));
    wb::PictureFolder pictures(dir.string());
    BOOST_CHECK_THROW(pictures.file("../escape.png"), wb::ValueError);
    BOOST_CHECK_THROW(pictures.file(".lesson06_pictures.txt"), wb::ValueError);
    fs::remove_all(scratch("inside"));
}

BOOST_AUTO_TEST_SUITE_END()
