// The plots (lib/plot.hpp): chunk means, an SVG with one line per curve and a legend,
// the errors; and the benchmarks' reading of a Python script's "key value" lines
// (lib/python_script.hpp).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/plot.hpp"
#include "lib/python_script.hpp"

namespace {

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plot)

BOOST_AUTO_TEST_CASE(chunk_means_average_equal_runs_and_drop_the_remainder) {
    std::size_t size = 0;
    const std::vector<double> means = wb::chunk_means({1, 3, 5, 7, 9, 11, 100}, 3, size);
    BOOST_TEST(size == 3u);  // ceil(7 / 3)
    BOOST_TEST(means == std::vector<double>({3.0, 9.0}));
    BOOST_TEST(wb::chunk_means(std::vector<float>(150, 1.0f), 100, size).size() == 75u);  // never more than 100
    BOOST_TEST(wb::chunk_means({4, 6}, 100, size) == std::vector<double>({4.0, 6.0}));
    BOOST_TEST(size == 1u);
}

BOOST_AUTO_TEST_CASE(write_curves_draws_each_curve_with_its_legend) {
    const std::string path = (std::filesystem::temp_directory_path() / "wb_test_plot" / "curves.svg").string();
    std::filesystem::remove(path);
    wb::write_curves(path,
                     {{.label = "train <a&b>", .x = {0, 1, 2}, .y = {3, 2, 1}},
                      {.label = "dev", .x = {0, 2}, .y = {3.5, 1.5}, .dashed = true}},
                     "title", "steps", "loss");
    const std::string svg = file_text(path);
    BOOST_TEST(svg.rfind("<?xml", 0) == 0u);
    BOOST_TEST(svg.find("<svg") != std::string::npos);
    BOOST_TEST(svg.find("width=\"720px\" height=\"400px\"") != std::string::npos);
    BOOST_TEST(svg.find("</svg>") != std::string::npos);
    // cairo writes each line as a <path> with its style: two curves and their two legend lines
    BOOST_TEST(count(svg, "stroke-width:2;") == 4u);
    BOOST_TEST(count(svg, "stroke-dasharray:6,4") == 2u);  // the dashed curve and its legend line
    BOOST_TEST(count(svg, "stroke:rgb(0%,44.705882%,69.803922%)") == 2u);  // the first colour, #0072B2
    // text is drawn as glyph outlines, so a label's < and & cannot break the file
    BOOST_TEST(svg.find("<a&b>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_curves_and_unwritable_files_are_named) {
    BOOST_CHECK_EXCEPTION(wb::write_curves("/tmp/x.svg", {{.label = "odd", .x = {0, 1}, .y = {1}}}, "t", "x", "y"),
                          wb::ValueError, [](const wb::ValueError& e) {
                              return std::string(e.what()) == "write_curves: curve 'odd' has 2 x values but 1 y values";
                          });
    BOOST_CHECK_THROW(wb::write_curves("/tmp/x.svg", {{.label = "nan", .x = {0}, .y = {std::nan("")}}}, "t", "x", "y"),
                      wb::ValueError);
    BOOST_CHECK_EXCEPTION(wb::write_curves("/proc/no/such/dir/x.svg", {{.label = "a", .x = {0}, .y = {1}}}, "t", "x", "y"),
                          wb::DataError, [](const wb::DataError& e) {
                              return std::string(e.what()).find("/proc/no/such/dir/x.svg: cannot write the picture") == 0;
                          });
}

BOOST_AUTO_TEST_CASE(ensure_directory_refuses_what_cannot_hold_plots) {
    const auto path = std::filesystem::temp_directory_path() / "wb_test_plot_dir" / "a" / "b";
    std::filesystem::remove_all(path);
    wb::ensure_directory(path.string());
    BOOST_TEST(std::filesystem::is_directory(path));
    BOOST_CHECK_EXCEPTION(wb::ensure_directory(""), wb::DataError, [](const wb::DataError& e) {
        return std::string(e.what()).find("the plot folder is empty") == 0;
    });
    const auto file = path / "plain_file";
    std::ofstream(file) << "x";
    BOOST_CHECK_EXCEPTION(wb::ensure_directory(file.string()), wb::DataError, [&](const wb::DataError& e) {
        return std::string(e.what()).find(file.string() + ": cannot make this a folder for the plots") == 0;
    });
}

BOOST_AUTO_TEST_CASE(find_value_reads_the_first_line_of_a_key) {
    const std::vector<std::string> lines = {"torch_version 1.13.0a0", "torch_steps 12.5", "torch_steps 99",
                                            "torch_steps_per_second 3"};
    BOOST_TEST(*wb::find_value(lines, "torch_version") == "1.13.0a0");
    BOOST_TEST(*wb::find_value(lines, "torch_steps") == "12.5");
    BOOST_TEST(!wb::find_value(lines, "torch").has_value());
    BOOST_TEST(!wb::find_value(lines, "missing").has_value());
}

BOOST_AUTO_TEST_CASE(a_script_that_cannot_run_gives_no_lines) {
    BOOST_TEST(wb::run_python("/nonexistent/script.py", {"x"}).empty());
}

BOOST_AUTO_TEST_CASE(arguments_reach_the_script_as_they_are_and_a_failure_counts_for_nothing) {
    if (!std::filesystem::exists("/usr/bin/python3")) {
        BOOST_TEST_MESSAGE("no /usr/bin/python3 here: run_python's quoting is not checked");
        return;
    }
    const auto dir = std::filesystem::temp_directory_path() / "wb_test_python_script";
    std::filesystem::create_directories(dir);
    const std::string echo = (dir / "echo args.py").string(), fail = (dir / "fail.py").string();
    std::ofstream(echo) << "import os, sys\nfor a in sys.argv[1:]: print(a)\nprint('env', os.environ.get('WB_X', ''))\n";
    std::ofstream(fail) << "import sys\nprint('torch_version 1')\nsys.exit(3)\n";
    const std::vector<std::string> lines = wb::run_python(echo, {"it's", "$HOME", "a b", ""}, "WB_X=7");
    BOOST_TEST(lines == std::vector<std::string>({"it's", "$HOME", "a b", "", "env 7"}), boost::test_tools::per_element());
    BOOST_TEST(wb::run_python(fail, {}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
