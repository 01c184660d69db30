// Command pulumi-language-python is a minimal Pulumi language host for Python programs.
//
// Why it exists: Pulumi's own host lives in the Go module
// github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3, which has no tags of its own
// and which the Go module proxy refuses to serve (403 "This module version is not available" for
// @latest, @v3.274.1, @master and pseudo-versions; see docs/pulumi-cli.md). Without a language host
// the CLI can only run Automation API inline programs. This host lets a plain `pulumi up` of a
// `runtime: python` project work.
//
// What it supports: it runs the program with the `pulumi-language-python-exec` script that ships
// beside it (copied from the sdk/v3 module), passing the arguments and environment Pulumi's host
// passes (monitor, engine, project, stack, pwd, root directory, dry_run, parallel, organization,
// tracing; config in PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS). The interpreter is taken from
// the project's `virtualenv` runtime option, else PULUMI_PYTHON_CMD, else python3 (then python).
// It answers GetPluginInfo, GetRequiredPlugins and GetRequiredPackages (none: the dynamic
// provider plugin `pulumi-python` is bundled with the CLI), Run, InstallDependencies (a no-op that
// says so), About, GetProgramDependencies (empty) and Cancel. RunPlugin starts Python plugins: a
// folder with PulumiPlugin.yaml (resource providers, e.g. on pulumi.provider.experimental) or
// PulumiPolicy.yaml (policy packs). GeneratePackage writes Python SDKs with Pulumi's own code
// generator, for `pulumi package gen-sdk` and `pulumi package add`; Link, for the latter, prints
// how to install and import the SDK. GenerateProgram turns PCL into Python with Pulumi's program
// generator, for the code `pulumi import` prints.
//
// What it does not support: installing dependencies, the `uv`/`poetry` toolchains, type checkers,
// reporting the program's packages to the engine (so no third-party provider plugins), debuggers,
// `pulumi new` prompts, project conversion (GenerateProject, so no `pulumi convert`) and Pack.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// execScript is the Python shim that configures the SDK and runs the program; it must sit beside
// this binary, as in a Pulumi distribution.
const execScript = "pulumi-language-python-exec"

func main() {
	// The engine passes `--logtostderr`, `-v=N` (registered by glog through the sdk's logging
	// package) and `--tracing <endpoint>` before the engine address, which always comes last.
	tracing := flag.String("tracing", "", "Zipkin-compatible tracing endpoint, passed to the program")
	// Engines before about v3.2xx (such as the one inside the YAML language host) also pass each
	// runtime option as `-<option>=<value>`, and `-root=<project dir>`: the flags Pulumi's own
	// host defines. They are defaults for requests whose ProgramInfo lacks the option.
	root := flag.String("root", "", "project root, against which a relative -virtualenv is resolved")
	defaults := map[string]*string{}
	for _, option := range []string{"virtualenv", "toolchain", "typechecker"} {
		defaults[option] = flag.String(option, "", "the `"+option+"` runtime option, if the request has none")
	}
	flag.Parse()
	logging.InitLogging(false, 0, false)

	if flag.NArg() < 1 {
		cmdutil.Exit(fmt.Errorf("usage: %s [flags] <engine address>", filepath.Base(os.Args[0])))
	}
	engineAddress := flag.Arg(0)

	self, err := os.Executable()
	if err != nil {
		cmdutil.Exit(fmt.Errorf("locating this executable: %w", err))
	}
	exec := filepath.Join(filepath.Dir(self), execScript)
	if _, err := os.Stat(exec); err != nil {
		cmdutil.Exit(fmt.Errorf("missing executor %s beside the language host: %w", execScript, err))
	}

	// Stop serving on Ctrl-C or when the engine goes away, so no host outlives its engine.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
		cmdutil.Exit(fmt.Errorf("could not start health check for the engine: %w", err))
	}
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv,
				newHost(exec, engineAddress, *tracing, optionDefaults(defaults, *root)))
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}

	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

// optionDefaults keeps the runtime options given as flags, with a relative virtualenv made
// absolute against root.
func optionDefaults(flags map[string]*string, root string) map[string]any {
	options := map[string]any{}
	for option, value := range flags {
		if *value != "" {
			options[option] = *value
		}
	}
	if venv, ok := options["virtualenv"].(string); ok && root != "" && !filepath.IsAbs(venv) {
		options["virtualenv"] = filepath.Join(root, venv)
	}
	return options
}
