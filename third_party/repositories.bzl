"""Repository rules that make the Debian-packaged Bazel rules usable offline.

Bazel 4.2.3 as packaged by Debian (`bazel-bootstrap`) cannot download anything
here, so every external repository comes from files already on the machine.
See shared/notes/offline-bazel.md for the three breakages these rules address.
"""

# The two files of Debian's rules_cc 0.0.4 that load `use_cpp_toolchain`, which
# Bazel 4.2.3's @bazel_tools does not have.
_RULES_CC_PATCHED_FILES = [
    "cc/private/rules_impl/compiler_flag.bzl",
    "cc/private/rules_impl/cc_flags_supplier.bzl",
]

_OLD_LOAD = 'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain", "use_cpp_toolchain")'
_NEW_LOAD = 'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")'

# What newer Bazel's `use_cpp_toolchain()` returns when optional toolchains are off.
_OLD_CALL = "use_cpp_toolchain()"
_NEW_CALL = '["@bazel_tools//tools/cpp:toolchain_type"]'

def _patched_rules_cc_impl(rctx):
    src = rctx.path(rctx.attr.path)
    if not src.exists:
        fail("metaport: rules_cc not found at %s (apt-get install bazel-rules-cc)" % src)

    # Copy (not symlink) so the patched files do not alias the system ones.
    res = rctx.execute(["cp", "-R", str(src) + "/.", "."])
    if res.return_code != 0:
        fail("metaport: copying %s failed: %s" % (src, res.stderr))

    for f in _RULES_CC_PATCHED_FILES:
        content = rctx.read(f)
        if _OLD_LOAD not in content or _OLD_CALL not in content:
            fail("metaport: %s/%s no longer matches the expected text; update third_party/repositories.bzl" % (src, f))
        content = content.replace(_OLD_LOAD, _NEW_LOAD).replace(_OLD_CALL, _NEW_CALL)
        rctx.delete(f)
        rctx.file(f, content, executable = False)

    # The upstream WORKSPACE downloads things; an external repo's WORKSPACE is
    # not evaluated, but keep it minimal to avoid confusion.
    rctx.file("WORKSPACE", 'workspace(name = "%s")\n' % rctx.name, executable = False)

patched_rules_cc = repository_rule(
    implementation = _patched_rules_cc_impl,
    attrs = {
        "path": attr.string(default = "/usr/share/bazel/rules/cc"),
    },
    local = True,
    doc = "Copies the system rules_cc and patches it for Bazel 4.2.3.",
)

def _empty_coverage_tools_impl(rctx):
    rctx.file("WORKSPACE", 'workspace(name = "%s")\n' % rctx.name, executable = False)
    rctx.file("BUILD", """\
# `bazel test` wants @remote_coverage_tools (normally a download). Coverage is
# not used in this project; empty filegroups satisfy the dependency.
package(default_visibility = ["//visibility:public"])

filegroup(name = "coverage_report_generator", srcs = [])

filegroup(name = "lcov_merger", srcs = [])

filegroup(name = "coverage_output_generator", srcs = [])
""", executable = False)

empty_coverage_tools = repository_rule(
    implementation = _empty_coverage_tools_impl,
    doc = "An offline stand-in for @remote_coverage_tools.",
)
