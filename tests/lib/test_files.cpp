// The parsers of outside input: every bad file gets a message naming file and line.
#include <cstdio>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/embeddings_file.hpp"
#include "lib/errors.hpp"
#include "lib/reference_file.hpp"

namespace {

// A file in the temp folder with the given content, removed afterwards.
struct TempFile {
    explicit TempFile(const std::string& content) {
        static int counter = 0;
        path = "/tmp/wb_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".txt";
        std::ofstream(path) << content;
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::string path;
};

std::string embeddings_error(const std::string& content) {
    const TempFile f(content);
    try {
        wb::read_embeddings(f.path);
    } catch (const wb::DataError& e) {
        std::string m = e.what();
        return m.replace(0, f.path.size(), "FILE");
    }
    return "<no error>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(files)

BOOST_AUTO_TEST_CASE(embeddings_with_and_without_tokens) {
    const TempFile with_tokens("# two tokens\nYour 0.43 0.15 0.89\n\njourney 0.55, 0.87, 0.66\n");
    const wb::Embeddings e = wb::read_embeddings(with_tokens.path);
    BOOST_TEST(e.tokens == (std::vector<std::string>{"Your", "journey"}), boost::test_tools::per_element());
    BOOST_TEST(wb::to_string(e.vectors.shape()) == "[2, 3]");
    BOOST_TEST(e.vectors(1, 2) == 0.66f);
    const TempFile bare("1 2\n3 4\n-5 +6e-1\n");
    const wb::Embeddings b = wb::read_embeddings(bare.path);
    BOOST_TEST(b.tokens[2] == "x(3)");
    BOOST_TEST(b.vectors(2, 1) == 0.6f);
}

BOOST_AUTO_TEST_CASE(bad_embeddings_files_name_file_and_line) {
    BOOST_TEST(embeddings_error("a 1 2\nb 3\n") ==
               "FILE:2: this row has 1 value, but the row on line 1 has 2 (every embedding needs the same dimension)");
    BOOST_TEST(embeddings_error("a 1 x2\n") ==
               "FILE:1: 'x2' is not a number (expected an optional token, then numbers)");
    BOOST_TEST(embeddings_error("1 2\nlonely\n") ==
               "FILE:2: token 'lonely' has no numbers after it (expected: token, then the embedding's values)");
    BOOST_TEST(embeddings_error("a 1 nan\n") == "FILE:1: 'nan' is not a finite number");
    BOOST_TEST(embeddings_error("a 1 1e99\n") == "FILE:1: '1e99' is too large for a float32 (expected numbers within about +-3.4e38)");
    BOOST_TEST(embeddings_error("# only a comment\n\n") ==
               "FILE: no embeddings found (expected one per line: an optional token, then numbers)");
    BOOST_TEST(embeddings_error("a 1 \x01\x02\n") ==
               "FILE:1: '\\x01\\x02' is not a number (expected an optional token, then numbers)");
}

BOOST_AUTO_TEST_CASE(a_missing_embeddings_file_is_named) {
    try {
        wb::read_embeddings("/nonexistent/inputs.txt");
        BOOST_ERROR("no error");
    } catch (const wb::DataError& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "/nonexistent/inputs.txt: cannot open the embeddings file (No such file or directory)");
    }
}

BOOST_AUTO_TEST_CASE(reference_files_report_their_errors) {
    const TempFile truncated("# header\n[a]\ndtype float32\nshape 2\nvalues 1\ntext 3\nonly one line\n");
    try {
        wb::ReferenceFile f(truncated.path);
        BOOST_ERROR("no error");
    } catch (const wb::DataError& e) {
        BOOST_TEST(std::string(e.what()) == truncated.path + ":7: record [a] ends inside its text block");
    }
    const TempFile short_values("# header\n[a]\ndtype float32\nshape 2\nvalues 1\n");
    const wb::ReferenceFile f(short_values.path);
    try {
        f["a"].tensor();
        BOOST_ERROR("no error");
    } catch (const wb::DataError& e) {
        BOOST_TEST(std::string(e.what()) == short_values.path + ":2: record [a]: shape [2] needs 2 values, found 1");
    }
    BOOST_CHECK_THROW(f["b"], wb::DataError);
}

BOOST_AUTO_TEST_CASE(float32_fields_read_exactly_and_refuse_what_is_not_a_float) {
    const TempFile file("[a]\nlr 0x1.47ae140000000p-7\nbeta lots\n");
    const wb::ReferenceFile f(file.path);
    BOOST_TEST(f["a"].float32("lr") == 0x1.47ae14p-7f);  // f32(0.01) as Python's float.hex wrote it
    try {
        f["a"].float32("beta");
        BOOST_ERROR("no error");
    } catch (const wb::DataError& e) {
        BOOST_TEST(std::string(e.what()).find("'beta' is not a float: 'lots'") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()
