// Fuzz target: a reference file of the torch oracle (data/reference/*.txt), and
// every way the tests read its records.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lib/reference_file.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace wb;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = fuzz::as_file(data, size);
    fuzz::expect_wb_errors([&] {
        const ReferenceFile file(path);
        if (file.records().empty()) fuzz::finding("a reference file without records", "");
        for (const ReferenceRecord& r : file.records()) {
            if (!file.contains(r.name) || file[r.name].name != r.name) fuzz::finding("a record not found by name", r.name);
            fuzz::expect_wb_errors([&] {
                const Tensor t = r.tensor();
                if (t.shape() != r.shape()) fuzz::finding("tensor() is not of shape()", r.name);
            });
            fuzz::expect_wb_errors([&] { r.int_values(); });
            fuzz::expect_wb_errors([&] { r.printed(); });
            for (const auto& field : r.fields) {
                fuzz::expect_wb_errors([&] { r.integer(field.first); });
                fuzz::expect_wb_errors([&] { r.float32(field.first); });
            }
        }
        file["no such record"];
    });
    return 0;
}
