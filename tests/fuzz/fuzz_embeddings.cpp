// Fuzz target: an embeddings file, as a lesson's --inputs flag reads it (an
// optional token, then numbers, one embedding per line).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "lib/embeddings_file.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace wb;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = fuzz::as_file(data, size);
    fuzz::expect_wb_errors([&] {
        const Embeddings e = read_embeddings(path);
        if (e.vectors.dim() != 2 || e.vectors.size(0) != e.tokens.size() || e.vectors.size(1) == 0)
            fuzz::finding("read_embeddings: not one row of at least one value per token", to_string(e.vectors.shape()));
        for (float v : e.vectors.values())
            if (!std::isfinite(v)) fuzz::finding("read_embeddings kept a value that is not finite", "");
        for (const std::string& t : e.tokens)
            if (t.empty()) fuzz::finding("read_embeddings kept an empty token", "");
    });
    return 0;
}
