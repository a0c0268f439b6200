// The pictures (lib/picture.hpp) and the colour scale under them (lib/colormap.hpp):
// files of the expected size in both formats, cells whose pixels are the colour
// their values map to, the same bytes for the same input, errors that name what is
// wrong; and the terminal heatmaps, coloured only when asked.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cairo.h>
#include <fmt/format.h>

#include "lib/book_inputs.hpp"
#include "lib/colormap.hpp"
#include "lib/errors.hpp"
#include "lib/lesson.hpp"
#include "lib/picture.hpp"
#include "lib/plot.hpp"
#include "lib/print.hpp"

namespace {

// each test process writes its own folder: ctest runs the cases side by side
std::string scratch(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("wb_test_picture_" + std::to_string(getpid())) / name).string();
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// A PNG file starts with an 8-byte signature, then the IHDR chunk: its length (13),
// "IHDR", and the width and height as big-endian 32-bit numbers.
struct PngSize {
    bool valid = false;
    std::uint32_t width = 0, height = 0;
};

PngSize png_header(const std::string& bytes) {
    const std::string signature = "\x89PNG\r\n\x1a\n";
    if (bytes.size() < 24 || bytes.compare(0, 8, signature) != 0 || bytes.compare(12, 4, "IHDR") != 0) return {};
    const auto be32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(bytes[at + k]);
        return v;
    };
    return {true, be32(16), be32(20)};
}

// A PNG read back with cairo: the colour of pixel (x, y).
class Pixels {
public:
    explicit Pixels(const std::string& path) : surface_(cairo_image_surface_create_from_png(path.c_str())) {}
    ~Pixels() { cairo_surface_destroy(surface_); }
    bool ok() const { return cairo_surface_status(surface_) == CAIRO_STATUS_SUCCESS; }
    int width() const { return cairo_image_surface_get_width(surface_); }
    int height() const { return cairo_image_surface_get_height(surface_); }
    wb::Rgb at(int x, int y) const {  // RGB24: one native 32-bit word per pixel, 0x00RRGGBB
        const unsigned char* row = cairo_image_surface_get_data(surface_) + y * cairo_image_surface_get_stride(surface_);
        const std::uint32_t word = reinterpret_cast<const std::uint32_t*>(row)[x];
        return {static_cast<std::uint8_t>(word >> 16), static_cast<std::uint8_t>(word >> 8),
                static_cast<std::uint8_t>(word)};
    }

private:
    cairo_surface_t* surface_;
};

int channel_distance(wb::Rgb a, wb::Rgb b) {
    return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// width="553px" height="470px" on the <svg> element
std::pair<int, int> svg_size(const std::string& svg) {
    std::smatch m;
    if (!std::regex_search(svg, m, std::regex(R"(<svg[^>]*\swidth="(\d+)(px)?"[^>]*\sheight="(\d+)(px)?")"))) return {-1, -1};
    return {std::stoi(m[1]), std::stoi(m[3])};
}

const std::vector<std::string> kTokens = wb::your_journey_starts_with_one_step().tokens;

// Six rows of six values that are all different and not symmetric, so a transposed
// or mirrored picture would show.
wb::Tensor ramp() {
    wb::Tensor m = wb::zeros({6, 6});
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 6; ++j) m(i, j) = static_cast<float>((i * 6 + j) * 7 % 36) / 35.0f;
    return m;
}

template <typename E>
auto message_is(const std::string& text) {
    return [text](const E& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()) == text;
    };
}

template <typename E>
auto message_has(const std::string& text) {
    return [text](const E& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find(text) != std::string::npos;
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(picture)

BOOST_AUTO_TEST_CASE(the_colour_scale_goes_from_dark_to_light_without_turning_back) {
    double previous = -1.0;
    for (int k = 0; k <= 100; ++k) {
        const double lum = wb::luminance(wb::colormap(k / 100.0));
        BOOST_TEST(lum > previous, "luminance at t = " << k / 100.0 << " is " << lum << ", not above " << previous);
        previous = lum;
    }
    BOOST_TEST(wb::luminance(wb::colormap(0.0)) < 0.05);  // dark purple
    BOOST_TEST(wb::luminance(wb::colormap(1.0)) > 0.75);  // light yellow
    const wb::Rgb purple = wb::colormap(0.0), yellow = wb::colormap(1.0);
    BOOST_TEST((purple.b > purple.g && purple.r > purple.g));
    BOOST_TEST((yellow.r > yellow.b && yellow.g > yellow.b));
    BOOST_TEST((wb::colormap(-3.0) == purple));  // clamped
    BOOST_TEST((wb::colormap(7.0) == yellow));
    BOOST_CHECK_EXCEPTION(wb::colormap(std::nan("")), wb::ValueError,
                          message_is<wb::ValueError>("colormap: t is nan; it takes a number from 0 to 1"));
    BOOST_TEST(wb::normalize(3.0, 2.0, 6.0) == 0.25);
    BOOST_TEST(wb::normalize(3.0, 3.0, 3.0) == 0.5);
}

BOOST_AUTO_TEST_CASE(a_heatmap_png_has_the_layouts_size_and_each_cell_the_colour_of_its_value) {
    const std::string path = scratch("ramp.png");
    const wb::Tensor m = ramp();
    const wb::HeatmapOptions options{.row_title = "query", .col_title = "key"};
    wb::write_heatmap(path, m, kTokens, kTokens, "a ramp", options);
    const wb::HeatmapLayout l = wb::heatmap_layout(m, kTokens, kTokens, "a ramp", options);
    const PngSize header = png_header(file_bytes(path));
    BOOST_TEST_REQUIRE(header.valid, path << " does not start with a PNG signature and IHDR");
    BOOST_TEST(header.width == static_cast<std::uint32_t>(l.width));
    BOOST_TEST(header.height == static_cast<std::uint32_t>(l.height));
    const Pixels pixels(path);
    BOOST_TEST_REQUIRE(pixels.ok());
    BOOST_TEST(pixels.width() == l.width);

    // A point a fifth of a cell in from each cell's top-left corner: clear of the
    // value written in the middle and of the white lines between cells.
    std::vector<std::pair<float, wb::Rgb>> seen;
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 6; ++j) {
            const int x = l.grid_x + static_cast<int>(j) * l.cell + l.cell / 5;
            const int y = l.grid_y + static_cast<int>(i) * l.cell + l.cell / 5;
            const wb::Rgb found = pixels.at(x, y), expected = wb::colormap(m(i, j));  // the ramp spans 0 to 1
            BOOST_TEST(channel_distance(found, expected) <= 1,
                       fmt::format("cell ({}, {}) of value {:.3f} at pixel ({}, {}) is rgb({}, {}, {}); colormap "
                                   "gives rgb({}, {}, {})",
                                   i, j, m(i, j), x, y, found.r, found.g, found.b, expected.r, expected.g, expected.b));
            seen.emplace_back(m(i, j), found);
        }
    // ordered by value, the cells grow lighter: the scale runs the right way round
    std::sort(seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t k = 1; k < seen.size(); ++k)
        BOOST_TEST(wb::luminance(seen[k].second) > wb::luminance(seen[k - 1].second),
                   "the cell of " << seen[k].first << " is not lighter than the cell of " << seen[k - 1].first);
}

BOOST_AUTO_TEST_CASE(vmin_and_vmax_fix_the_ends_of_the_scale) {
    const std::string path = scratch("fixed_range.png");
    const wb::Tensor m = {{0.25f, 0.5f}, {0.75f, 0.5f}};
    const wb::HeatmapOptions options{.show_values = false, .vmin = 0.0, .vmax = 1.0};
    wb::write_heatmap(path, m, {"a", "b"}, {"c", "d"}, "fixed", options);
    const wb::HeatmapLayout l = wb::heatmap_layout(m, {"a", "b"}, {"c", "d"}, "fixed", options);
    const Pixels pixels(path);
    BOOST_TEST_REQUIRE(pixels.ok());
    const int centre = l.cell / 2;  // no values drawn: the centre is the cell's colour
    BOOST_TEST(channel_distance(pixels.at(l.grid_x + centre, l.grid_y + centre), wb::colormap(0.25)) <= 1);
    BOOST_TEST(channel_distance(pixels.at(l.grid_x + l.cell + centre, l.grid_y + l.cell + centre), wb::colormap(0.5)) <= 1);
    BOOST_TEST(channel_distance(pixels.at(l.grid_x + centre, l.grid_y + l.cell + centre), wb::colormap(0.75)) <= 1);
}

BOOST_AUTO_TEST_CASE(the_same_matrix_gives_the_same_bytes) {
    const wb::Tensor m = ramp();
    wb::write_heatmap(scratch("once.png"), m, kTokens, kTokens, "same");
    wb::write_heatmap(scratch("twice.png"), m, kTokens, kTokens, "same");
    // compared as bools: Boost.Test would print both files when they differ
    BOOST_TEST((file_bytes(scratch("once.png")) == file_bytes(scratch("twice.png"))));
    wb::write_heatmap(scratch("once.svg"), m, kTokens, kTokens, "same");
    wb::write_heatmap(scratch("twice.svg"), m, kTokens, kTokens, "same");
    BOOST_TEST((file_bytes(scratch("once.svg")) == file_bytes(scratch("twice.svg"))));
    wb::Tensor other = m;
    other(2, 3) += 0.5f;
    wb::write_heatmap(scratch("other.png"), other, kTokens, kTokens, "same");
    BOOST_TEST((file_bytes(scratch("other.png")) != file_bytes(scratch("once.png"))));
}

BOOST_AUTO_TEST_CASE(a_heatmap_svg_is_an_svg_of_the_layouts_size) {
    const std::string path = scratch("ramp.svg");
    wb::write_heatmap(path, ramp(), kTokens, kTokens, "a ramp");
    const std::string svg = file_bytes(path);
    BOOST_TEST(svg.rfind("<?xml", 0) == 0u);
    BOOST_TEST(svg.find("<svg") != std::string::npos);
    BOOST_TEST(svg.find("</svg>") != std::string::npos);
    const wb::HeatmapLayout l = wb::heatmap_layout(ramp(), kTokens, kTokens, "a ramp");
    const auto [width, height] = svg_size(svg);
    BOOST_TEST(width == l.width);
    BOOST_TEST(height == l.height);
    // every cell's colour is in it, as cairo writes a fill: rgb(R%, G%, B%)
    BOOST_TEST(svg.find("fill:rgb(") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(long_column_labels_turn_upwards_and_the_picture_grows_to_fit) {
    const wb::Tensor m = wb::zeros({2, 3});
    const std::vector<std::string> rows = {"a", "b"};
    const wb::HeatmapLayout short_labels = wb::heatmap_layout(m, rows, {"x", "y", "z"}, "t");
    const wb::HeatmapLayout long_labels =
        wb::heatmap_layout(m, rows, {"a rather long expert name", "y", "z"}, "t");
    BOOST_TEST(!short_labels.rotate_col_labels);
    BOOST_TEST(long_labels.rotate_col_labels);
    BOOST_TEST(long_labels.grid_y > short_labels.grid_y + 100);
    const wb::HeatmapLayout long_title = wb::heatmap_layout(m, rows, {"x", "y", "z"}, std::string(120, 'w'));
    BOOST_TEST(long_title.width > 120 * 8);
}

// Whether text was drawn in rows [from, to) of cell (i, j): a pixel far from the
// cell's colour, which its top-left corner shows.
bool ink_in_rows(const Pixels& p, const wb::HeatmapLayout& l, std::size_t i, std::size_t j, int from, int to) {
    const int x0 = l.grid_x + static_cast<int>(j) * l.cell, y0 = l.grid_y + static_cast<int>(i) * l.cell;
    const wb::Rgb fill = p.at(x0 + 2, y0 + 2);
    for (int y = y0 + from; y < y0 + to; ++y)
        for (int x = x0 + 2; x < x0 + l.cell - 2; ++x)
            if (channel_distance(p.at(x, y), fill) > 60) return true;
    return false;
}

BOOST_AUTO_TEST_CASE(cell_labels_stand_above_the_values_in_taller_cells) {
    const wb::Tensor m = {{0.0f, 54.0f}, {12.0f, 67.0f}};
    const std::vector<std::string> rows = {".", "a"}, cols = {"n", "."};
    const wb::HeatmapOptions values{.decimals = 0};
    wb::HeatmapOptions labels_only{.show_values = false, .decimals = 0, .cell_labels = {".n", "..", "an", "a."}};
    wb::HeatmapOptions both = labels_only;
    both.show_values = true;
    const wb::HeatmapLayout one_line = wb::heatmap_layout(m, rows, cols, "t", values);
    const wb::HeatmapLayout lo = wb::heatmap_layout(m, rows, cols, "t", labels_only);
    const wb::HeatmapLayout l = wb::heatmap_layout(m, rows, cols, "t", both);
    BOOST_TEST(l.cell > one_line.cell);  // two lines need more room than one
    BOOST_TEST(lo.cell >= 34);
    wb::write_heatmap(scratch("labels_only.png"), m, rows, cols, "t", labels_only);
    wb::write_heatmap(scratch("labels_and_values.png"), m, rows, cols, "t", both);
    const Pixels only(scratch("labels_only.png")), with_values(scratch("labels_and_values.png"));
    BOOST_TEST_REQUIRE((only.ok() && with_values.ok()));
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
            BOOST_TEST(ink_in_rows(only, lo, i, j, 2, lo.cell / 2), "cell (" << i << ", " << j << ") has no label");
            BOOST_TEST(!ink_in_rows(only, lo, i, j, lo.cell / 2, lo.cell - 2), "cell (" << i << ", " << j << "): ink below");
            BOOST_TEST(ink_in_rows(with_values, l, i, j, 2, l.cell / 2));
            BOOST_TEST(ink_in_rows(with_values, l, i, j, l.cell / 2, l.cell - 2), "cell (" << i << ", " << j
                                                                                          << ") has no value below");
        }
    // crisp: a cell holds its fill and its ink only; anti-aliased text blends the two
    const auto blends = [&](const std::string& path) {
        const Pixels p(path);
        int n = 0;
        for (int y = l.grid_y + 2; y < l.grid_y + l.cell - 2; ++y)
            for (int x = l.grid_x + 2; x < l.grid_x + l.cell - 2; ++x)
                n += p.at(x, y) != p.at(l.grid_x + 2, l.grid_y + 2) && p.at(x, y) != wb::Rgb{255, 255, 255};
        return n;  // cell (0, 0) is dark: its ink is white
    };
    both.crisp_cell_text = true;
    wb::write_heatmap(scratch("crisp.png"), m, rows, cols, "t", both);
    BOOST_TEST(blends(scratch("crisp.png")) == 0);
    BOOST_TEST(blends(scratch("labels_and_values.png")) > 0);
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), m, rows, cols, "t", {.cell_labels = {"a", "b", "c"}}),
                          wb::ShapeError,
                          message_is<wb::ShapeError>("write_heatmap: 3 cell labels for the 4 cells of a matrix of "
                                                     "shape [2, 2]: give one per cell, row by row, or none"));
}

BOOST_AUTO_TEST_CASE(masks_scatters_and_curves_write_pngs_and_svgs) {
    wb::Tensor mask = wb::zeros({16, 16});
    std::vector<std::string> positions;
    for (std::size_t i = 0; i < 16; ++i) {
        positions.push_back(std::to_string(i));
        for (std::size_t j = 0; j <= i; ++j) mask(i, j) = 1.0f;
    }
    wb::write_mask(scratch("mask.png"), mask, positions, positions, "causal");
    const wb::HeatmapLayout l = wb::heatmap_layout(mask, positions, positions, "causal",
                                                    {.show_values = false, .row_title = "query", .col_title = "key"});
    const Pixels grid(scratch("mask.png"));
    BOOST_TEST_REQUIRE(grid.ok());
    BOOST_TEST(grid.height() == l.height);  // the width differs: a legend instead of a colour bar
    const int centre = l.cell / 2;  // cell (3, 1) attended, cell (1, 3) skipped
    BOOST_TEST(channel_distance(grid.at(l.grid_x + l.cell + centre, l.grid_y + 3 * l.cell + centre), wb::colormap(1.0)) <= 1);
    BOOST_TEST(channel_distance(grid.at(l.grid_x + 3 * l.cell + centre, l.grid_y + l.cell + centre), wb::colormap(0.0)) <= 1);

    wb::write_scatter(scratch("scatter.png"), {0, 1, 2}, {2, 0, 1}, {"a", "b", "c"}, "points", "x", "y");
    const PngSize scatter = png_header(file_bytes(scratch("scatter.png")));
    BOOST_TEST(scatter.valid);
    BOOST_TEST(scatter.width == 640u);
    BOOST_TEST(scatter.height == 560u);
    wb::write_scatter(scratch("scatter.svg"), {0, 1, 2}, {2, 0, 1}, {"a", "b", "c"}, "points");
    BOOST_TEST((svg_size(file_bytes(scratch("scatter.svg"))) == std::make_pair(640, 560)));

    // write_curves draws with cairo too: a .png name gives a PNG with the curve's colour in it
    wb::write_curves(scratch("curves.png"), {{.label = "train", .x = {0, 1, 2}, .y = {3, 2, 1}}}, "t", "x", "y");
    const Pixels curves(scratch("curves.png"));
    BOOST_TEST_REQUIRE(curves.ok());
    BOOST_TEST(curves.width() == 720);
    BOOST_TEST(curves.height() == 400);
    bool blue = false;  // the first curve's colour, Okabe and Ito's blue #0072B2
    for (int y = 0; y < curves.height() && !blue; ++y)
        for (int x = 0; x < curves.width() && !blue; ++x) blue = curves.at(x, y) == wb::Rgb{0x00, 0x72, 0xB2};
    BOOST_TEST(blue);
}

BOOST_AUTO_TEST_CASE(what_cannot_be_drawn_is_refused_with_what_is_wrong) {
    const wb::Tensor m = ramp();
    BOOST_CHECK_EXCEPTION(wb::write_heatmap("/proc/no/such/dir/h.png", m, kTokens, kTokens, "t"), wb::DataError,
                          message_has<wb::DataError>("/proc/no/such/dir/h.png: cannot write the picture"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), m, {"a", "b"}, kTokens, "t"), wb::ShapeError,
                          message_is<wb::ShapeError>("write_heatmap: 2 row labels for the 6 rows of a matrix of shape "
                                                     "[6, 6]: give one per row"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), m, kTokens, {"a"}, "t"), wb::ShapeError,
                          message_has<wb::ShapeError>("1 column labels for the 6 columns"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), wb::zeros({0, 3}), {}, {"a", "b", "c"}, "t"),
                          wb::ValueError, message_has<wb::ValueError>("shape [0, 3] is empty"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), wb::Tensor{1.0f, 2.0f}, {"a"}, {"b"}, "t"),
                          wb::ShapeError, message_has<wb::ShapeError>("2-D matrix, not shape [2]"));
    wb::Tensor with_nan = m;
    with_nan(1, 4) = std::nanf("");
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), with_nan, kTokens, kTokens, "t"), wb::ValueError,
                          message_is<wb::ValueError>("write_heatmap: the value at (1, 4) is nan: a heatmap needs "
                                                     "finite numbers"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.jpg"), m, kTokens, kTokens, "t"), wb::ValueError,
                          message_has<wb::ValueError>("x.jpg: a picture's name must end in .png or .svg"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), m, kTokens, kTokens, "t", {.vmin = 2.0, .vmax = 1.0}),
                          wb::ValueError, message_has<wb::ValueError>("vmin 2 to vmax 1 is not a range"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), m, kTokens, kTokens, "t", {.decimals = 9}),
                          wb::ValueError, message_has<wb::ValueError>("decimals 9"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), m, kTokens, kTokens, "t", {.outlined = {{6, 0}}}),
                          wb::IndexError, message_has<wb::IndexError>("(6, 0) is outside the matrix of shape [6, 6]"));
    BOOST_CHECK_EXCEPTION(wb::write_mask(scratch("x.png"), m, kTokens, kTokens, "t"), wb::ValueError,
                          message_has<wb::ValueError>("a mask holds 0 (skipped) and 1 (attended) only"));
    BOOST_CHECK_EXCEPTION(wb::write_scatter(scratch("x.png"), {1, 2}, {1}, {"a", "b"}, "t"), wb::ShapeError,
                          message_is<wb::ShapeError>("write_scatter: 2 x values, 1 y values and 2 labels: give one of "
                                                     "each per point"));
    BOOST_CHECK_EXCEPTION(wb::write_scatter(scratch("x.png"), {}, {}, {}, "t"), wb::ValueError,
                          message_has<wb::ValueError>("no points"));
    BOOST_CHECK_EXCEPTION(wb::write_scatter(scratch("x.png"), {1, INFINITY}, {1, 2}, {"a", "b"}, "t"), wb::ValueError,
                          message_has<wb::ValueError>("point 1 ('b') is (inf, 2)"));
    BOOST_CHECK_EXCEPTION(wb::write_heatmap(scratch("x.png"), wb::zeros({1, 400}), {"a"},
                                            std::vector<std::string>(400, "a long label"), "t"),
                          wb::ValueError, message_has<wb::ValueError>("each side takes 1 to 10000 pixels"));
    BOOST_TEST(!std::filesystem::exists(scratch("x.png")));  // nothing half-drawn was left behind
}

BOOST_AUTO_TEST_CASE(terminal_heatmaps_are_coloured_only_when_asked) {
    const wb::Tensor m = {{0.0f, 1.0f}, {0.5f, -INFINITY}};
    const std::vector<std::string> rows = wb::terminal_heatmap(m, 0.0, 1.0);
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    const auto cell = [](wb::Rgb c) { return fmt::format("\x1b[48;2;{};{};{}m  \x1b[0m", c.r, c.g, c.b); };
    BOOST_TEST(rows[0] == cell(wb::colormap(0.0)) + cell(wb::colormap(1.0)));
    BOOST_TEST(rows[1] == cell(wb::colormap(0.5)) + "  ");  // -inf (masked) is left blank

    // print(t): plain text without colour, the text and then the cells with it
    BOOST_TEST(wb::format_for_terminal(m, false) == wb::format(m));
    const std::string coloured = wb::format_for_terminal(m, true);
    BOOST_TEST(coloured.rfind(wb::format(m) + "\n        " + rows[0] + "\n        ", 0) == 0u, coloured);
    const wb::Tensor big = wb::zeros({17, 2});  // too many rows for a terminal heatmap
    BOOST_TEST(wb::format_for_terminal(big, true) == wb::format(big));
    BOOST_TEST(wb::format_for_terminal(wb::Tensor{1.0f, 2.0f}, true) == wb::format(wb::Tensor{1.0f, 2.0f}));

    // print_alignment: the same lines, with each row's cells beside its numbers when coloured
    const wb::Tensor w = {{1.0f, 0.0f}, {0.25f, 0.75f}};
    const std::vector<std::string> plain = wb::alignment_lines(w, {"a", "b"}, {"c", "d"}, false);
    const std::vector<std::string> colour = wb::alignment_lines(w, {"a", "b"}, {"c", "d"}, true);
    BOOST_TEST(plain == std::vector<std::string>({"                  c        d", "         a   1.0000   0.0000",
                                                   "         b   0.2500   0.7500"}),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(colour.size() == 3u);
    BOOST_TEST(colour[0] == plain[0]);
    BOOST_TEST(colour[2] == plain[2] + "   " + cell(wb::colormap(0.25)) + cell(wb::colormap(0.75)));
}

BOOST_AUTO_TEST_SUITE_END()
