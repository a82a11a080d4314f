"""metaport_fuzz_target: a libFuzzer target and the test that replays its corpus."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

def metaport_fuzz_target(name, deps = []):
    cc_binary(
        name = name,
        testonly = True,
        srcs = [name + ".cc"],
        defines = select({
            ":libfuzzer": ["METAPORT_LIBFUZZER"],
            "//conditions:default": [],
        }),
        linkopts = select({
            ":libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = [":harness", "//include:metaport"] + deps,
    )
    native.sh_test(
        name = name + "_corpus_test",
        size = "small",
        srcs = ["replay_corpus.sh"],
        args = ["$(location :%s)" % name, "fuzz/corpus/" + name],
        data = [":" + name] + native.glob(["corpus/%s/**" % name]),
    )
