"""metaport's external repositories, for this workspace and downstream ones.

Downstream use:

    local_repository(name = "metaport", path = "/path/to/metaport")
    load("@metaport//third_party:deps.bzl", "metaport_dependencies")
    metaport_dependencies()

then depend on e.g. `@metaport//include:metaport` or `@metaport//third_party:boost`.
Everything is local (Debian packages, see tools/ensure-deps.sh): no downloads.
"""

load("//third_party:repositories.bzl", "empty_coverage_tools", "patched_rules_cc")

# Each system library gets its own repository rooted at /usr with a BUILD file
# from this directory. Keyed by repository name.
_SYSTEM_LIBRARIES = {
    "metaport_boost": "boost.BUILD",
    "metaport_yaml_cpp": "yaml_cpp.BUILD",
    "metaport_gtest": "gtest.BUILD",
    "metaport_benchmark": "benchmark.BUILD",
    "metaport_sqlite3": "sqlite3.BUILD",
    "metaport_libpq": "libpq.BUILD",
    "metaport_libmariadb": "libmariadb.BUILD",
    "metaport_libgit2": "libgit2.BUILD",
    "metaport_libsodium": "libsodium.BUILD",
    "metaport_simdjson": "simdjson.BUILD",
    "metaport_fmt": "fmt.BUILD",
    "metaport_cli11": "cli11.BUILD",
    "metaport_zstd": "zstd.BUILD",
    "metaport_zlib": "zlib.BUILD",
    "metaport_jemalloc": "jemalloc.BUILD",
}

def _maybe(rule, name, **kwargs):
    """Declares a repository unless the workspace already has one by that name."""
    if not native.existing_rule(name):
        rule(name = name, **kwargs)

def metaport_dependencies(
        rules_cc_path = "/usr/share/bazel/rules/cc",
        rules_java_path = "/usr/share/bazel/rules/java",
        skylib_path = "/usr/share/bazel/tools/skylib",
        system_root = "/usr"):
    """Declares every external repository metaport needs.

    Repositories the calling workspace already declared are left alone.
    """

    # 1. rules_cc 0.0.4 from Debian, patched for Bazel 4.2.3.
    _maybe(patched_rules_cc, "rules_cc", path = rules_cc_path)

    # 2. Java toolchains are registered by any cc_test/cc_binary analysis.
    _maybe(native.local_repository, "rules_java", path = rules_java_path)

    # Not needed by metaport itself, offered for BUILD helpers (Debian bazel-skylib).
    _maybe(native.local_repository, "bazel_skylib", path = skylib_path)

    # 3. `bazel test` wants @remote_coverage_tools.
    _maybe(empty_coverage_tools, "remote_coverage_tools")

    for name, build_file in _SYSTEM_LIBRARIES.items():
        _maybe(
            native.new_local_repository,
            name,
            path = system_root,
            # A Label resolves against @metaport even from another workspace.
            build_file = str(Label("//third_party/system:" + build_file)),
        )
