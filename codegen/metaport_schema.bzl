"""metaport_schema: reflected entity structs in, a schema library and its binary out.

    load("@metaport//codegen:metaport_schema.bzl", "metaport_schema")

    metaport_schema(
        name = "bi",
        model = ":model",                    # a cc_library of the entity headers (or hdrs = [...])
        header = "entities/bi/schema.hpp",   # path from the workspace root
        schema = "bi::Schema",               # the schema struct (name, version, kinds)
        extras = "bi::extras",               # optional: a function returning cli::SchemaExtras
        extras_srcs = ["extras.cpp"],
        lock = "schema.lock",                # the committed lock: a test keeps it in step
    )

yields:
    NAME_model       cc_library of the headers (unless `model` names one)
    NAME_generator   the code generator, compiled against them (a host tool)
    NAME_generated   genrule: NAME.lock, NAME.DIALECT.sql (one per store dialect),
                     NAME.schemas.json, NAME.deps.txt, NAME_registry.cc, NAME_main.cc
    NAME             cc_library: the schema's registration unit (SchemaInfo)
    metaport_NAME    cc_binary: dump/load/validate/... for this schema
    NAME_lock_test   sh_test: the committed lock matches the structs
    NAME_update_lock `bazel run` it to rewrite the committed lock from the structs

With `lock`, building metaport_NAME fails while the committed lock is out of
step with the structs (the message says what changed and what to do), so a
struct change cannot ship without its version bump and upgrade step.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library")
load("//tools:copts.bzl", "METAPORT_COPTS")

# The store dialects the generator prints a script for (runtime/store:dialects).
_DIALECTS = ["sqlite", "postgres", "mysql"]

def metaport_schema(
        name,
        header,
        schema,
        hdrs = [],
        model = None,
        deps = [],
        extras = None,
        extras_srcs = [],
        extras_deps = [],
        lock = None,
        visibility = None):
    if model == None:
        model = ":" + name + "_model"
        cc_library(
            name = name + "_model",
            copts = METAPORT_COPTS,
            hdrs = hdrs,
            deps = [Label("//include:metaport")] + deps,
            visibility = visibility,
        )

    gen_src = name + "_generator.cc"
    native.genrule(
        name = name + "_generator_src",
        outs = [gen_src],
        cmd = "printf '%s' > $@" % (
            "#include \"%s\"\\n#include \"codegen/generator.hpp\"\\n" % header +
            "int main(int argc, char** argv) { return metaport::codegen::generator_main<%s>(argc, argv); }\\n" % schema
        ),
    )
    cc_binary(
        name = name + "_generator",
        copts = METAPORT_COPTS,
        srcs = [gen_src],
        deps = [model, Label("//codegen:generator")],
    )

    pkg = native.package_name()
    repo = native.repository_name()
    update_label = (repo if repo != "@" else "") + "//" + pkg + ":" + name + "_update_lock"
    outs = [
        name + ".lock",
        name + ".lockcheck.txt",
    ] + [name + "." + d + ".sql" for d in _DIALECTS] + [
        name + ".schemas.json",
        name + ".deps.txt",
        name + "_registry.cc",
        name + "_main.cc",
    ]
    native.genrule(
        name = name + "_generated",
        srcs = [lock] if lock else [],
        outs = outs,
        tools = [":" + name + "_generator"],
        cmd = "$(location :%s_generator) --name %s --header %s --schema %s --extras %s --out $(@D)%s" % (
            name,
            name,
            header,
            schema,
            extras if extras else "none",
            (" --lock $(location %s) --regenerate 'bazel run %s'" % (lock, update_label)) if lock else "",
        ),
        visibility = visibility,
    )

    cc_library(
        name = name,
        copts = METAPORT_COPTS,
        srcs = [name + "_registry.cc"],
        deps = [model],
        visibility = visibility,
    )

    if lock:
        # Fails the build of the binary while the lock is stale: the same
        # check as NAME_lock_test, at build time.
        native.genrule(
            name = name + "_lock_in_step",
            srcs = [":" + name + ".lockcheck.txt"],
            outs = [name + ".lock_in_step"],
            cmd = ("if head -n1 $< | grep -q '^OK'; then touch $@; else " +
                   "{ echo 'metaport: %s is not in step with the %s entity structs:'; sed 's/^/  /' $<; } >&2; exit 1; fi") %
                  ((pkg + "/" if pkg else "") + lock, name),
        )
        native.sh_binary(
            name = name + "_update_lock",
            srcs = [Label("//codegen:update_lock.sh")],
            data = [":" + name + ".lock"],
            args = ["$(rootpath :%s.lock)" % name, (pkg + "/" if pkg else "") + lock],
            visibility = visibility,
        )

    cc_binary(
        name = "metaport_" + name,
        copts = METAPORT_COPTS,
        srcs = [name + "_main.cc"] + extras_srcs,
        data = [":" + name + "_lock_in_step"] if lock else [],
        # jemalloc: loads allocate on every core (docs/performance.md).
        deps = [":" + name, Label("//runtime/cli"), Label("//third_party:jemalloc")] + extras_deps,
        visibility = visibility,
    )

    if lock:
        native.sh_test(
            name = name + "_lock_test",
            srcs = [Label("//codegen:lock_test.sh")],
            args = ["$(location %s)" % lock, "$(location :%s.lock)" % name, "$(location :%s.lockcheck.txt)" % name, name],
            data = [lock, ":" + name + ".lock", ":" + name + ".lockcheck.txt"],
        )
