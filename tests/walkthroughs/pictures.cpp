// Every lesson with attention weights, embeddings, masks, routing or a loss curve
// writes its pictures: run with --plot-dir, each file it promises is there, is a
// PNG (or SVG) that cairo reads back at the size its header gives, the last line
// names the folder, and the rest of the output is what --no-plots prints (which is
// what the golden tests compare); the folder's list names the files written, so a
// later run can remove those it does not write again. Lesson 10's curves are
// checked in 10_capstone.cpp.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cairo.h>

#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// each test process writes its own folder: ctest runs the cases side by side
std::string plot_dir(const std::string& lesson) {
    return (std::filesystem::temp_directory_path() / ("wb_lesson_pictures_" + std::to_string(getpid())) / lesson)
        .string();
}

std::uint32_t be32(const std::string& bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(bytes[at + k]);
    return v;
}

// A PNG: the signature, an IHDR of a sensible size (at least `min_side` pixels a
// side), and cairo decodes it at that size.
void expect_png(const std::string& path, std::uint32_t min_side = 200) {
    const std::string bytes = file_bytes(path);
    BOOST_TEST_REQUIRE(bytes.size() > 24u, path << " is missing or too short to be a PNG");
    BOOST_TEST(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0, path << " has no PNG signature");
    BOOST_TEST(bytes.compare(12, 4, "IHDR") == 0, path << " has no IHDR chunk first");
    const std::uint32_t width = be32(bytes, 16), height = be32(bytes, 20);
    BOOST_TEST((width >= std::max(300u, min_side) && width <= 2000u), path << " is " << width << " pixels wide");
    BOOST_TEST((height >= min_side && height <= 2000u), path << " is " << height << " pixels high");
    cairo_surface_t* image = cairo_image_surface_create_from_png(path.c_str());
    BOOST_TEST(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS, path << ": cairo cannot read it back");
    BOOST_TEST(cairo_image_surface_get_width(image) == static_cast<int>(width));
    BOOST_TEST(cairo_image_surface_get_height(image) == static_cast<int>(height));
    cairo_surface_destroy(image);
}

// The names in a folder's list of pictures (.lessonNN_pictures.txt), sorted.
std::vector<std::string> listed(const std::string& path) {
    std::vector<std::string> names;
    std::istringstream lines(file_bytes(path));
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && line.front() != '#') names.push_back(line);
    std::sort(names.begin(), names.end());
    return names;
}

// Runs lesson NN with `flags` twice, with pictures and without, and checks what it wrote.
void expect_pictures(const std::string& nn, const std::string& flags, const std::vector<std::string>& files,
                     std::uint32_t min_side = 200) {
    const std::string dir = plot_dir("lesson" + nn);
    std::filesystem::remove_all(dir);
    const std::string program = "'" WB_BINARY_DIR "/bin/lesson" + nn + "' " + flags;
    const std::string with = run_program(program + " --plot-dir '" + dir + "' 2>/dev/null");
    const std::string without = run_program(program + " --no-plots 2>/dev/null");
    const std::string last_line = "\npictures: " + dir + "/\n";
    BOOST_TEST_REQUIRE(with.size() > last_line.size());
    BOOST_TEST(with.substr(with.size() - last_line.size()) == last_line);
    BOOST_TEST((with.substr(0, with.size() - last_line.size()) == without), "lesson " << nn
                   << ": the output with pictures is not the output without them plus the closing line");
    BOOST_TEST(without.find("pictures:") == std::string::npos);
    for (const std::string& file : files) {
        const std::string path = dir + "/" + file;
        if (file.ends_with(".svg")) {
            const std::string svg = file_bytes(path);
            BOOST_TEST(svg.rfind("<?xml", 0) == 0u, path);
            BOOST_TEST(svg.find("<svg") != std::string::npos, path);
            BOOST_TEST(svg.find("width=\"720px\" height=\"400px\"") != std::string::npos, path);
        } else {
            expect_png(path, min_side);
        }
    }
    const std::string list = ".lesson" + nn + "_pictures.txt";
    std::size_t written = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) written += entry.path().filename() != list;
    BOOST_TEST(written == files.size(), "lesson " << nn << " wrote " << written << " files, not " << files.size());
    std::vector<std::string> sorted = files;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST(listed(dir + "/" + list) == sorted, "lesson " << nn << "'s list of pictures");
    std::filesystem::remove_all(dir);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson_pictures)

BOOST_AUTO_TEST_CASE(lesson01_draws_the_count_and_probability_matrices_a_bigram_in_each_cell) {
    // 27 cells a side, each tall enough for two lines (the bigram over its number)
    expect_pictures("01", "", {"bigram_counts.png", "bigram_probabilities.png"}, 27 * 34);
}

BOOST_AUTO_TEST_CASE(lesson02_draws_its_loss_curve_and_its_embeddings) {
    expect_pictures("02", "--bigram-steps 1 --steps 50 --samples 0", {"loss.svg", "loss.png", "embeddings.png"});
}

BOOST_AUTO_TEST_CASE(lesson03_draws_the_scores_and_the_weights) {
    expect_pictures("03", "", {"attention_scores.png", "attention_weights.png"});
}

BOOST_AUTO_TEST_CASE(lesson04_draws_both_classes_weights) {
    expect_pictures("04", "", {"attention_weights_v1.png", "attention_weights_v2.png"});
}

BOOST_AUTO_TEST_CASE(lesson05_draws_the_mask_and_the_weights_around_it) {
    expect_pictures("05", "", {"attention_weights.png", "causal_mask.png", "causal_attention_weights.png",
                               "causal_attention_weights_dropout.png"});
}

BOOST_AUTO_TEST_CASE(lesson06_draws_each_head_and_the_cross_attention) {
    expect_pictures("06", "", {"head1_attention_weights.png", "head2_attention_weights.png",
                               "cross_attention_weights.png"});
    expect_pictures("06", "--heads 1", {"head1_attention_weights.png", "cross_attention_weights.png"});
}

BOOST_AUTO_TEST_CASE(lesson07_draws_each_query_head) {
    expect_pictures("07", "", {"query_head0_attention_weights.png", "query_head1_attention_weights.png",
                               "query_head2_attention_weights.png", "query_head3_attention_weights.png"});
}

BOOST_AUTO_TEST_CASE(lesson08_draws_every_grid_and_the_weights_under_each_pattern) {
    expect_pictures("08", "",
                    {"mask_causal.png", "mask_sliding_window.png", "mask_strided_head1.png", "mask_strided_head2.png",
                     "mask_strided.png", "mask_fixed_head1.png", "mask_fixed_head2.png", "mask_fixed.png",
                     "reach_two_sliding_window_layers.png", "reach_two_strided_layers.png",
                     "attention_weights_causal.png", "attention_weights_sliding_window.png",
                     "attention_weights_strided.png", "attention_weights_fixed.png"});
}

BOOST_AUTO_TEST_CASE(lesson09_draws_the_routers_choices) {
    expect_pictures("09", "", {"top2_router_probabilities.png", "top2_gates.png",
                               "switch_top1_router_probabilities.png", "switch_top1_gates.png"});
}

// A run with fewer heads than the run before removes the extra heads' pictures,
// and leaves alone a file the lesson did not write.
BOOST_AUTO_TEST_CASE(a_run_with_fewer_heads_leaves_no_stale_picture_and_keeps_the_students_files) {
    const std::string dir = plot_dir("lesson07_stale");
    std::filesystem::remove_all(dir);
    const std::string program = "'" WB_BINARY_DIR "/bin/lesson07' --plot-dir '" + dir + "' ";
    run_program(program + "--d-out 12 --heads 6 --kv-heads 3 >/dev/null 2>&1");
    BOOST_TEST_REQUIRE(std::filesystem::exists(dir + "/query_head5_attention_weights.png"));
    std::ofstream(dir + "/my_sketch.png") << "the student's own";
    run_program(program + "--heads 2 --kv-heads 1 >/dev/null 2>&1");
    for (int h = 2; h < 6; ++h) {
        const std::string stale = dir + "/query_head" + std::to_string(h) + "_attention_weights.png";
        BOOST_TEST(!std::filesystem::exists(stale), stale << " is left from the run with 6 heads");
    }
    expect_png(dir + "/query_head0_attention_weights.png");
    expect_png(dir + "/query_head1_attention_weights.png");
    BOOST_TEST(file_bytes(dir + "/my_sketch.png") == "the student's own");
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(lesson13_draws_the_alignment_and_the_loss_curves) {
    expect_pictures("13", "--budget 0.005 --no-timing", {"alignment.png", "losses.png"});
}

BOOST_AUTO_TEST_CASE(a_plot_dir_that_cannot_hold_files_stops_the_lesson_at_once) {
    const std::string out =
        run_program("'" WB_BINARY_DIR "/bin/lesson03' --plot-dir /proc/no/such/folder 2>&1; echo exit=$?");
    BOOST_TEST(out.find("error: /proc/no/such/folder: cannot make this a folder for the plots") != std::string::npos, out);
    BOOST_TEST(out.find("exit=1") != std::string::npos, out);
    BOOST_TEST(out.find("3.3.1") == std::string::npos, out);  // before any of the walkthrough
}

BOOST_AUTO_TEST_SUITE_END()
