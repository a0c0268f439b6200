#include "tests/support/exercise_check.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>
#include <vector>

#include <boost/test/execution_monitor.hpp>
#include <boost/test/tree/observer.hpp>
#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "lib/print.hpp"

namespace wb::testing {
namespace {

namespace utf = boost::unit_test;

enum class Status { pass, todo, fail };

struct Row {
    std::string id;           // "3.1", from the case name exercise_3_1
    std::string description;  // from the case's description decorator
    Status status = Status::pass;
    std::string todo_message;
    std::vector<std::string> details;
};

// Indents every line after the first, so a multi-line tensor stays aligned.
std::string hang(const std::string& text, std::size_t indent) {
    std::string out;
    for (char c : text) out += c == '\n' ? "\n" + std::string(indent, ' ') : std::string(1, c);
    return out;
}

std::string exercise_id(const std::string& case_name) {
    std::string_view s = case_name;
    if (s.rfind("exercise_", 0) == 0) s.remove_prefix(9);
    std::string id(s);
    for (char& c : id)
        if (c == '_') c = '.';
    return id;
}

// Reads our own flags, which come after Boost's, following "--".
std::string option(std::string_view name) {
    const auto& suite = utf::framework::master_test_suite();
    for (int i = 1; i < suite.argc; ++i) {
        const std::string_view arg = suite.argv[i];
        if (arg == name) return "yes";
        if (arg.rfind(std::string(name) + "=", 0) == 0) return std::string(arg.substr(name.size() + 1));
    }
    return "";
}

// Collects one row per test case while the suite runs and prints the table at the end.
class Reporter : public utf::test_observer {
public:
    void test_unit_start(const utf::test_unit& tu) override {
        if (tu.p_type != utf::TUT_CASE) return;
        current_ = Row{exercise_id(tu.p_name), tu.p_description, Status::pass, {}, {}};
        in_case_ = true;
        note_started(tu.p_name, "w");
    }
    void test_unit_finish(const utf::test_unit& tu, unsigned long) override {
        if (tu.p_type != utf::TUT_CASE || !in_case_) return;
        rows_.push_back(current_);
        in_case_ = false;
    }
    void assertion_result(utf::assertion_result ar) override {
        if (ar == utf::AR_FAILED && current_.status == Status::pass) fail("an assertion failed");
    }
    void exception_caught(const boost::execution_exception& e) override {
        const std::string what(e.what().begin(), e.what().end());
        note_started(what, "a");  // a signal (a crash) ends the run right after this
        fail(fmt::format("the test stopped on an exception: {}", what));
    }
    void test_aborted() override { fail("the test was aborted"); }

    // A part not written yet makes the exercise TODO, unless a part written already
    // failed: that FAIL is what the student needs to see.
    void todo(const std::string& message) {
        if (current_.status == Status::pass) current_.status = Status::todo;
        current_.todo_message = message;
    }
    void fail(const std::string& details) {
        if (current_.status != Status::todo) current_.status = Status::fail;
        current_.details.push_back(details);
    }

    // Prints the check table; returns the exit code for the expectation.
    int report(std::string_view lesson, std::string_view lesson_dir, std::string_view expect) const {
        std::size_t pass = 0, todo = 0;
        fmt::print("Lesson {}: checking {}/exercises.cpp\n\n", lesson, lesson_dir);
        const Row* next = nullptr;
        for (const Row& r : rows_) {
            const char* label = r.status == Status::pass ? "PASS" : r.status == Status::todo ? "TODO" : "FAIL";
            const std::string name = fmt::format("{:<5} {} ", r.id, r.description);
            fmt::print("  {:.<60} {}\n", name, label);
            if (r.status == Status::fail) {
                fmt::print("        {}\n", hang(r.details.front(), 8));
                if (r.details.size() > 1) fmt::print("        (and {} more failing checks)\n", r.details.size() - 1);
            }
            pass += r.status == Status::pass;
            todo += r.status == Status::todo;
            if (!next && r.status != Status::pass) next = &r;
        }
        fmt::print("\n{} of {} exercises pass.\n", pass, rows_.size());
        if (next)
            fmt::print("Next: exercise {} ({}) in {}/exercises.cpp\n      stuck? ./workbook hint {} {}\n", next->id,
                       next->description, lesson_dir, lesson, next->id);
        std::fflush(stdout);
        if (expect == "todo") return todo == rows_.size() && !rows_.empty() ? 0 : 1;
        return pass == rows_.size() && !rows_.empty() ? 0 : 1;
    }

private:
    // With --started=FILE, FILE holds the name of the case that started last, then
    // what stopped it if something did, so the workbook can name the exercise a
    // crash or a hang ended the run in.
    static void note_started(const std::string& line, const char* mode);

    Row current_;
    bool in_case_ = false;
    std::vector<Row> rows_;
};

void Reporter::note_started(const std::string& line, const char* mode) {
    const std::string file = option("--started");
    if (file.empty()) return;
    if (std::FILE* f = std::fopen(file.c_str(), mode)) {
        std::fputs((line + "\n").c_str(), f);
        std::fclose(f);
    }
}

Reporter& reporter() {
    static Reporter r;
    return r;
}

// Registers the reporter for every run; with --report it prints the table and
// ends the process with the check's own exit code.
struct CheckFixture {
    CheckFixture() { utf::framework::register_observer(reporter()); }
    ~CheckFixture() {
        utf::framework::deregister_observer(reporter());
        if (option("--report").empty()) return;
        std::exit(reporter().report(option("--lesson"), option("--lesson-dir"), option("--expect")));
    }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(CheckFixture);

const ReferenceFile& reference(const std::string& file) {
    static std::map<std::string, ReferenceFile> files;
    auto it = files.find(file);
    if (it == files.end()) it = files.emplace(file, ReferenceFile(WB_SOURCE_DIR "/data/reference/" + file)).first;
    return it->second;
}

void mark_todo(const std::string& message) {
    reporter().todo(message);
    BOOST_ERROR(message);
}

void mark_failed(const std::string& details) {
    reporter().fail(details);
    BOOST_ERROR(details);
}

bool expect_true(bool condition, const std::string& message) {
    if (!condition) mark_failed(message);
    return condition;
}

bool expect_close(const Tensor& found, const Tensor& expected, const std::string& what, float atol, float rtol) {
    if (found.shape() != expected.shape()) {
        mark_failed(fmt::format("{}\n  expected shape {}, found shape {}\n  expected: {}\n  found:    {}", what,
                                to_string(expected.shape()), to_string(found.shape()),
                                hang(format(expected), 12), hang(format(found), 12)));
        return false;
    }
    for (std::size_t i = 0; i < found.numel(); ++i) {
        const float f = found.values()[i], e = expected.values()[i];
        const bool same = std::isnan(e) ? std::isnan(f)
                        : std::isinf(e) ? f == e
                                        : std::isfinite(f) && std::abs(f - e) <= atol + rtol * std::abs(e);
        if (same) continue;
        std::vector<std::size_t> index(found.dim());
        for (std::size_t d = found.dim(), rest = i; d-- > 0;) {
            index[d] = rest % found.shape()[d];
            rest /= found.shape()[d];
        }
        mark_failed(fmt::format("{}\n  expected: {}\n  found:    {}\n  first difference at [{}]: expected {:.7g}, found {:.7g}",
                                what, hang(format(expected), 12), hang(format(found), 12), fmt::join(index, ", "), e, f));
        return false;
    }
    return true;
}

}  // namespace wb::testing
