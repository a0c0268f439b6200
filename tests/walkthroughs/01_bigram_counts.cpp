// Lesson 01 prints makemore's numbers: what torch printed for the walkthrough
// (data/reference/lesson01.txt) appears in the lesson's output, in order.
#include <cstdio>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/reference_file.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson01.txt");
    return file;
}

// Finds `text` in `output` at or after `pos`; moves `pos` past it.
void expect_after(const std::string& output, std::size_t& pos, const std::string& text, const std::string& what) {
    const std::size_t found = output.find(text, pos);
    BOOST_TEST(found != std::string::npos,
               what << ": expected\n" << text << "\nafter offset " << pos << " of the lesson's output");
    if (found != std::string::npos) pos = found + text.size();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson01_walkthrough)

BOOST_AUTO_TEST_CASE(prints_the_walkthroughs_numbers_in_order) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson01'");
    const auto& o = oracle();
    std::size_t pos = 0;
    expect_after(output, pos,
                 o["num_words"].field("value") + " words; the shortest has " + o["min_len"].field("value") +
                     " characters, the longest " + o["max_len"].field("value"),
                 "the data");
    for (const std::string& line : o["top_bigrams"].text) expect_after(output, pos, line, "top bigrams");
    for (const char* name : {"N_row0", "P_row0_counts", "P_row0"}) expect_after(output, pos, o[name].printed(), name);
    for (const std::string& line : o["samples"].text) {
        expect_after(output, pos, "\n" + line + "\n", "samples");  // a whole line, not part of a longer name
        --pos;  // the next line starts at this newline
    }
    for (const char* name : {"log_likelihood", "nll"}) expect_after(output, pos, o[name].printed(), name);
    expect_after(output, pos, "over " + o["num_bigrams"].field("value") + " bigrams", "num_bigrams");
    expect_after(output, pos, o["nll_avg"].printed(), "nll_avg");
    for (const char* name : {"andrejq_smoothing0", "andrejq_smoothing1"})
        for (const std::string& line : o[name].text) {
            const bool last = line.rfind("nll_avg ", 0) == 0;
            expect_after(output, pos, last ? "nll / n = " + line.substr(8) : line, name);
        }
}

BOOST_AUTO_TEST_CASE(a_bad_word_list_is_named_with_its_line) {
    const std::string path = "/tmp/wb_lesson01_words.txt";
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("anna\nBob\n", f);
    std::fclose(f);
    const std::string out = run_program("'" WB_BINARY_DIR "/bin/lesson01' --data " + path + " 2>&1; echo exit=$?");
    BOOST_TEST(out.find("error: " + path + ":2: character 'B' at column 1 is not a lowercase letter a-z") !=
                   std::string::npos, out);
    BOOST_TEST(out.find("exit=1") != std::string::npos, out);
    std::remove(path.c_str());
    const std::string missing = run_program("'" WB_BINARY_DIR "/bin/lesson01' --data /nonexistent.txt 2>&1; echo exit=$?");
    BOOST_TEST(missing.find("error: /nonexistent.txt: cannot open the word list (No such file or directory)") !=
                   std::string::npos, missing);
}

BOOST_AUTO_TEST_SUITE_END()
