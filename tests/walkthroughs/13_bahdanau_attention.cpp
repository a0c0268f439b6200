// Lesson 13's walkthrough: the alignment it prints is a distribution per output
// character, the side-by-side's additive weights are that alignment's row (the
// attention computed twice, by lib/additive_attention and by plain ops), and bad
// flags stop it before any training with a message that names them.
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "tests/support/run_program.hpp"

using wb::testing::numbers;
using wb::testing::run_program;

namespace {

const std::string& output() {
    static const std::string out =
        run_program("'" WB_BINARY_DIR "/bin/lesson13' --budget 0.005 --no-timing --no-plots --example emma 2>/dev/null");
    return out;
}


// The lines after the first line holding `marker`, up to the next empty line.
std::vector<std::string> block_after(const std::string& marker) {
    const std::string& out = output();
    std::istringstream in(out.substr(out.find(marker)));
    std::string line;
    std::vector<std::string> lines;
    std::getline(in, line);
    while (std::getline(in, line) && !line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson13_walkthrough)

BOOST_AUTO_TEST_CASE(alignment_rows_are_distributions_and_match_the_side_by_side) {
    // the grid: a header of the input letters, then a row per output step ("For a reversal" ends it)
    std::vector<std::string> grid = block_after("alpha_ji: a row per output character");
    BOOST_TEST_REQUIRE(grid.size() >= 3u);
    grid.erase(grid.begin(), grid.begin() + 2);  // the underline and the header
    std::vector<std::vector<double>> rows;
    for (const std::string& line : grid) {
        if (line.rfind("For a reversal", 0) == 0) break;
        rows.push_back(numbers(line));
        BOOST_TEST(rows.back().size() == 4u, line);  // 'emma': four input letters
        double total = 0.0;
        for (const double w : rows.back()) total += w;
        BOOST_TEST(total == 1.0, boost::test_tools::tolerance(3e-4) << line);
    }
    BOOST_TEST_REQUIRE(rows.size() >= 2u);
    // the additive softmax printed in the side-by-side is row 1 of the grid
    const std::vector<std::string> additive = block_after("Additive: e_i = v . tanh");
    BOOST_TEST_REQUIRE(additive.size() >= 3u);
    const std::vector<double> weights = numbers(additive[2]);
    BOOST_TEST_REQUIRE(weights.size() == 4u, additive[2]);
    for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(weights[i] == rows[1][i], boost::test_tools::tolerance(2e-4));
}

BOOST_AUTO_TEST_CASE(bad_flags_are_named) {
    for (const auto& [flags, message] :
         {std::pair{"--budget 0", "--budget 0 is outside (0, 1]"}, std::pair{"--example Emma", "may hold only the letters a-z"},
          std::pair{"--example x", "must have 2 to 15 letters"}, std::pair{"--hidden 0", "--hidden 0 must be at least 1"},
          std::pair{"--lr 2", "--lr 2 must be in (0, 1)"}}) {
        const std::string out = run_program("'" WB_BINARY_DIR "/bin/lesson13' --no-plots " + std::string(flags) + " 2>&1; echo exit=$?");
        BOOST_TEST(out.find(message) != std::string::npos, flags << ": " << out);
        BOOST_TEST(out.find("exit=1") != std::string::npos, flags << ": " << out);
        BOOST_TEST(out.find("Training") == std::string::npos, flags << ": trained before refusing");
    }
}

BOOST_AUTO_TEST_SUITE_END()
