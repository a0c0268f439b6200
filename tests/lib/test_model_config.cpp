// Parameter counts and KV-cache sizes from an architecture table, against what
// torch counts on a meta-device skeleton of Llama 3.1 8B and measures of meta
// tensors (data/reference/lesson07.txt), and the errors.
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/model_config.hpp"
#include "lib/reference_file.hpp"

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson07.txt");
    return file;
}

std::uint64_t expected(const std::string& name) { return static_cast<std::uint64_t>(oracle()[name].integer("value")); }

}  // namespace

BOOST_AUTO_TEST_SUITE(model_config)

BOOST_AUTO_TEST_CASE(llama_3_1_8b_has_torchs_parameter_counts) {
    const wb::ParameterCount p = wb::count_parameters(wb::llama_3_1_8b());
    BOOST_TEST(p.q_proj == expected("llama_q_proj"));
    BOOST_TEST(p.k_proj == expected("llama_k_proj"));
    BOOST_TEST(p.v_proj == expected("llama_v_proj"));
    BOOST_TEST(p.o_proj == expected("llama_o_proj"));
    BOOST_TEST(p.attention_per_layer == expected("llama_attention_per_layer"));
    BOOST_TEST(p.attention == expected("llama_attention_all_layers"));
    BOOST_TEST(p.ffn_per_layer == expected("llama_ffn_per_layer"));
    BOOST_TEST(p.embedding == expected("llama_embedding"));
    BOOST_TEST(p.total == expected("llama_total"));
}

BOOST_AUTO_TEST_CASE(with_other_kv_heads_only_the_kv_projections_change) {
    for (const auto& [label, kv] : {std::pair{"mha", 32}, {"gqa", 8}, {"mqa", 1}}) {
        wb::ModelConfig c = wb::llama_3_1_8b();
        c.kv_heads = static_cast<std::uint64_t>(kv);
        const wb::ParameterCount p = wb::count_parameters(c);
        BOOST_TEST(p.kv_proj == expected(std::string("llama_kv_proj_") + label));
        BOOST_TEST(p.total == expected(std::string("llama_total_") + label));
    }
}

BOOST_AUTO_TEST_CASE(kv_cache_bytes_are_the_bytes_of_torchs_cache_tensor) {
    for (const wb::ReferenceRecord& r : oracle().records()) {
        if (r.name.rfind("ex_kv_cache_", 0) != 0) continue;
        const auto arg = [&](const char* key) { return static_cast<std::uint64_t>(r.integer(key)); };
        BOOST_TEST(wb::kv_cache_bytes(arg("layers"), arg("kv_heads"), arg("head_dim"), arg("bytes_per_value"),
                                      arg("tokens")) == arg("value"),
                   r.name);
    }
    for (const char* label : {"mha", "gqa", "mqa"}) {
        const std::uint64_t kv = std::string(label) == "mha" ? 32 : std::string(label) == "gqa" ? 8 : 1;
        BOOST_TEST(wb::kv_cache_bytes(32, kv, 128, 2, 1) == expected(std::string("kv_per_token_") + label));
        BOOST_TEST(wb::kv_cache_bytes(32, kv, 128, 2, 131072) == expected(std::string("kv_at_context_") + label));
    }
}

BOOST_AUTO_TEST_CASE(format_bytes_picks_the_largest_whole_unit) {
    BOOST_TEST(wb::format_bytes(0) == "0 bytes");
    BOOST_TEST(wb::format_bytes(1023) == "1023 bytes");
    BOOST_TEST(wb::format_bytes(1024) == "1 KiB");
    BOOST_TEST(wb::format_bytes(1536 * 1024) == "1.5 MiB");
    BOOST_TEST(wb::format_bytes(std::uint64_t{16} << 30) == "16 GiB");
    BOOST_TEST(wb::format_bytes(std::uint64_t{3} << 40) == "3 TiB");
    BOOST_TEST(wb::format_bytes(std::uint64_t{5000} << 40) == "5000 TiB");
}

BOOST_AUTO_TEST_CASE(tables_that_do_not_fit_are_refused) {
    wb::ModelConfig c = wb::llama_3_1_8b();
    c.kv_heads = 5;
    BOOST_CHECK_EXCEPTION(wb::count_parameters(c), wb::ValueError, [](const wb::ValueError& e) {
        return std::string(e.what()) == "Llama 3.1 8B: 5 K/V heads do not divide 32 query heads";
    });
    c.kv_heads = 0;
    BOOST_CHECK_THROW(wb::count_parameters(c), wb::ValueError);
    BOOST_CHECK_EXCEPTION(wb::kv_cache_bytes(1u << 20, 1u << 20, 1u << 20, 1u << 20, 1u << 20), wb::ValueError,
                          [](const wb::ValueError& e) { return std::string(e.what()).find("2^64") != std::string::npos; });
}

BOOST_AUTO_TEST_SUITE_END()
