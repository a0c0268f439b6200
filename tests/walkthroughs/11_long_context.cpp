// Lesson 11 prints torch's numbers: every tensor the oracle printed
// (data/reference/lesson11.txt) appears verbatim in the lesson's output, in order;
// the timing stays behind its flag.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const std::vector<std::string> kPrinted = {
    "kv_last_logits", "kv_last_logits", "kv_cache_bytes", "kv_cache_bytes_full", "rope_inv_freq", "rope_q_positions",
    "rope_scores", "rope_scores_far", "rope_plain_score", "rope_wavelengths_10000", "rope_wavelengths_500000",
    "os_values", "os_block0_max", "os_block0_sum", "os_block0_out", "os_block1_max", "os_block1_sum", "os_block1_out",
    "os_block2_max", "os_block2_sum", "os_block2_out", "os_dense", "flash_last_rows"};

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson11.txt");
    return file;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson11_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_value_as_torch_does) {
    wb::testing::expect_printed_in_order(run_program("'" WB_BINARY_DIR "/bin/lesson11' --no-plots"), oracle(),
                                         kPrinted);
}

BOOST_AUTO_TEST_CASE(the_timing_stays_behind_its_flag) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson11' --no-plots");
    BOOST_TEST(output.find("Timing") == std::string::npos);
    BOOST_TEST(output.find("yes") != std::string::npos);
    BOOST_TEST(output.find("NO") == std::string::npos);
    const std::string help = run_program("'" WB_BINARY_DIR "/bin/lesson11' --help");
    BOOST_TEST(help.find("--timing") != std::string::npos, help);
}

BOOST_AUTO_TEST_SUITE_END()
