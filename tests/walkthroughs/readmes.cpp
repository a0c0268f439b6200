// Every lesson's README shows what the lesson prints and draws: an excerpt of its
// expected_output.txt, marked with <!-- excerpt: expected_output.txt --> on the
// line before its ```text fence, and, when the lesson draws, a picture it drew,
// committed beside the README. The excerpt must still be what the lesson prints (a run of
// consecutive lines of expected_output.txt, so it goes stale with a re-blessed
// output), and every picture the README shows must be a PNG of a sensible size.
// `./workbook bless NN` redraws the pictures with the run the README names on a line
// <!-- picture from: ./workbook run NN FLAGS --> (lessons/README.md).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;

namespace {

const fs::path kLessons = fs::path(WB_SOURCE_DIR) / "lessons";
const std::string kMarker = "<!-- excerpt: expected_output.txt -->";
constexpr std::uintmax_t kMaxPictureBytes = 150 * 1024;

std::string file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The lesson folders of lessons.txt, in course order.
std::vector<std::string> lesson_folders() {
    std::vector<std::string> folders;
    for (const std::string& line : lines_of(file_bytes(kLessons / "lessons.txt"))) {
        std::istringstream words(line);
        std::string folder;
        if (words >> folder && folder.front() != '#') folders.push_back(folder);
    }
    return folders;
}

struct Excerpt {
    std::size_t line = 0;  // the README's line of the marker, from 1
    std::vector<std::string> lines;
    std::string problem;  // why it is not an excerpt: no fence after the marker, no closing fence
};

// The marked excerpts of a README: the lines between the ```text fence right after
// each marker and the closing ```.
std::vector<Excerpt> excerpts(const std::vector<std::string>& readme) {
    std::vector<Excerpt> found;
    for (std::size_t k = 0; k < readme.size(); ++k) {
        if (readme[k] != kMarker) continue;
        Excerpt e;
        e.line = k + 1;
        if (k + 1 >= readme.size() || readme[k + 1] != "```text") {
            e.problem = "the marker is not followed by a ```text line";
        } else {
            std::size_t end = k + 2;
            while (end < readme.size() && readme[end] != "```") e.lines.push_back(readme[end++]);
            if (end == readme.size()) e.problem = "the ```text fence is never closed";
        }
        found.push_back(e);
    }
    return found;
}

// Whether `excerpt` is a run of consecutive lines of `text`.
bool is_run_of(const std::vector<std::string>& excerpt, const std::vector<std::string>& text) {
    if (excerpt.empty()) return false;
    for (std::size_t start = 0; start + excerpt.size() <= text.size(); ++start) {
        std::size_t k = 0;
        while (k < excerpt.size() && text[start + k] == excerpt[k]) ++k;
        if (k == excerpt.size()) return true;
    }
    return false;
}

// The targets of the README's images, ![what](target).
std::vector<std::string> images(const std::string& readme) {
    std::vector<std::string> targets;
    const std::regex image(R"(!\[[^\]]*\]\(([^)\s]+)(\s+"[^"]*")?\))");
    for (auto it = std::sregex_iterator(readme.begin(), readme.end(), image); it != std::sregex_iterator(); ++it)
        targets.push_back((*it)[1]);
    return targets;
}

std::uint32_t be32(const std::string& bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(bytes[at + k]);
    return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson_readmes)

BOOST_AUTO_TEST_CASE(every_readme_shows_lines_its_lesson_prints) {
    const std::vector<std::string> folders = lesson_folders();
    BOOST_TEST_REQUIRE(folders.size() >= 10u);
    for (const std::string& folder : folders) {
        BOOST_TEST_CONTEXT("lessons/" << folder << "/README.md") {
            const std::vector<std::string> readme = lines_of(file_bytes(kLessons / folder / "README.md"));
            const std::vector<std::string> expected = lines_of(file_bytes(kLessons / folder / "expected_output.txt"));
            const std::vector<Excerpt> found = excerpts(readme);
            BOOST_TEST(found.size() == 1u, "has " << found.size() << " lines " << kMarker << ", not one");
            for (const Excerpt& e : found) {
                BOOST_TEST_CONTEXT("the excerpt marked on line " << e.line) {
                    BOOST_TEST(e.problem.empty(), e.problem);
                    BOOST_TEST((e.lines.size() >= 5u && e.lines.size() <= 20u),
                               "has " << e.lines.size() << " lines, not 5 to 20");
                    BOOST_TEST(is_run_of(e.lines, expected),
                               "is not a run of lines of expected_output.txt: copy it again from there");
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(every_picture_a_readme_shows_is_a_png_in_its_lesson_folder) {
    for (const std::string& folder : lesson_folders()) {
        BOOST_TEST_CONTEXT("lessons/" << folder << "/README.md") {
            const std::string readme = file_bytes(kLessons / folder / "README.md");
            const std::vector<std::string> targets = images(readme);
            // a lesson that draws shows one of its pictures (a new lesson draws nothing yet)
            const bool draws = file_bytes(kLessons / folder / "main.cpp").find("PictureFolder") != std::string::npos;
            BOOST_TEST((!draws || !targets.empty()), "the lesson draws pictures, and its README shows none");
            if (targets.empty()) continue;
            // the run that drew them, for bless to draw them again
            const std::regex from("^<!-- picture from: \\./workbook run " + folder.substr(0, 2) + "( [^>]*)? -->$");
            std::size_t runs = 0;
            for (const std::string& line : lines_of(readme)) runs += std::regex_match(line, from);
            BOOST_TEST(runs == 1u, "names the run that drew its pictures on " << runs << " lines <!-- picture from: "
                                   "./workbook run " << folder.substr(0, 2) << " ... -->, not one");
            for (const std::string& target : targets) {
                BOOST_TEST_CONTEXT("the picture " << target) {
                    BOOST_TEST_REQUIRE((target.starts_with("images/") && target.find("..") == std::string::npos),
                                       "is not in the lesson's images/ folder");
                    const fs::path path = kLessons / folder / target;
                    BOOST_TEST_REQUIRE(fs::is_regular_file(path), path.string() << " does not exist");
                    const std::string bytes = file_bytes(path);
                    BOOST_TEST_REQUIRE(bytes.size() > 24u, "is too short to be a PNG");
                    BOOST_TEST(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0, "has no PNG signature");
                    BOOST_TEST(bytes.compare(12, 4, "IHDR") == 0, "has no IHDR chunk first");
                    const std::uint32_t width = be32(bytes, 16), height = be32(bytes, 20);
                    BOOST_TEST((width >= 200u && width <= 2000u), "is " << width << " pixels wide");
                    BOOST_TEST((height >= 200u && height <= 2000u), "is " << height << " pixels high");
                    BOOST_TEST(bytes.size() <= kMaxPictureBytes,
                               "takes " << bytes.size() << " bytes: keep a README's picture under 150 KB");
                }
            }
        }
    }
}

// The checks above can fail: a changed digit, a line left out, a marker without
// its fence are all found.
BOOST_AUTO_TEST_CASE(a_stale_or_broken_excerpt_is_found_out) {
    const std::vector<std::string> expected = {"", "heading", "-------", "tensor([0.1385, 0.2379])", "Sum: tensor(1.)"};
    BOOST_TEST(is_run_of({"heading", "-------", "tensor([0.1385, 0.2379])"}, expected));
    BOOST_TEST(!is_run_of({"heading", "-------", "tensor([0.1386, 0.2379])"}, expected));  // one digit
    BOOST_TEST(!is_run_of({"heading", "tensor([0.1385, 0.2379])"}, expected));              // a line left out
    BOOST_TEST(!is_run_of({"Sum: tensor(1.)", "heading"}, expected));                       // out of order
    BOOST_TEST(!is_run_of({}, expected));
    const std::vector<Excerpt> found =
        excerpts({"text", kMarker, "```text", "a", "b", "```", kMarker, "```sh", kMarker, "```text", "c"});
    BOOST_TEST_REQUIRE(found.size() == 3u);
    BOOST_TEST((found[0].lines == std::vector<std::string>{"a", "b"}));
    BOOST_TEST(found[0].problem.empty());
    BOOST_TEST(found[0].line == 2u);
    BOOST_TEST(!found[1].problem.empty());
    BOOST_TEST(!found[2].problem.empty());
    BOOST_TEST((images("![w](images/a.png) and ![](images/b.png \"t\")") ==
                std::vector<std::string>{"images/a.png", "images/b.png"}));
}

BOOST_AUTO_TEST_SUITE_END()
