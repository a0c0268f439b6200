// Each row of the bad-input table (rows.cpp) as its own test case,
// bad_inputs/lib/<id>: the call gives exactly the row's outcome, within 30 s,
// and a result it returns holds no NaN or infinity.
#include <filesystem>
#include <string>

#include <boost/test/unit_test.hpp>

#include "tests/bad_inputs/rows.hpp"

namespace utf = boost::unit_test;

namespace {

std::string scratch_dir() {
    const std::string dir = WB_BINARY_DIR "/bad_inputs";
    std::filesystem::create_directories(dir);
    return dir;
}

void check_row(const wb::testing::BadInput& row) {
    const std::string dir = scratch_dir();
    std::string expected = row.expected;
    for (std::size_t at; (at = expected.find("{dir}")) != std::string::npos;) expected.replace(at, 5, dir);
    const std::string found = wb::testing::outcome(row, dir);
    BOOST_TEST(found == expected, "\n  call:     " << row.call << "\n  expected: " << expected << "\n  found:    " << found);
    const bool error = found.find("Error: ") != std::string::npos;
    if (!error) {
        BOOST_TEST(found.find("nan") == std::string::npos, row.call << " returned a NaN: " << found);
        BOOST_TEST(found.find("inf") == std::string::npos, row.call << " returned an infinity: " << found);
    }
}

// Registers the rows when the program starts, as BOOST_AUTO_TEST_CASE does for one case.
struct RegisterRows {
    RegisterRows() {
        utf::test_suite* suite = BOOST_TEST_SUITE("bad_inputs");
        utf::test_suite* lib = BOOST_TEST_SUITE("lib");
        for (const auto& row : wb::testing::bad_inputs())
            lib->add(utf::make_test_case([&row] { check_row(row); }, row.id, __FILE__, __LINE__), 0, 30);
        suite->add(lib);
        utf::framework::master_test_suite().add(suite);
    }
} register_rows;

}  // namespace
