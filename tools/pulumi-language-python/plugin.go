package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// analyzerKind is the RunPlugin kind of policy packs (apitype.AnalyzerPlugin).
const analyzerKind = "analyzer"

// RunPlugin runs a plugin written in Python: a folder with PulumiPlugin.yaml (a resource provider,
// converter or tool) or with PulumiPolicy.yaml (a policy pack, kind "analyzer"). It streams the
// plugin's stdout (whose first line is the port it serves on) and stderr to the engine, then its
// exit code. The launch follows Pulumi's own Python host:
//   - a policy pack runs as `python -u -m pulumi.policy <args> <pack dir>` in the pack's folder,
//     behind a proxy that first takes the stack configuration from the engine (policyProxy);
//   - a folder with `__main__.py` runs as `python -u <plugin dir> <args>` in the engine's directory;
//   - a buildable Python package (pyproject.toml with a name and a build backend) runs as
//     `python -u -m pulumi.run.plugin <package name> <args>`.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetAttachDebugger() {
		return status.Error(codes.Unimplemented, "this minimal Python language host cannot attach a debugger")
	}
	ctx := server.Context()
	prog := h.program(req.GetInfo(), req.GetPwd(), req.GetProgram()) //nolint:staticcheck // fallback only
	base := os.Environ()
	if len(req.GetEnv()) > 0 {
		base = withEnv(base, req.GetEnv()) // the engine sends the whole environment for the plugin
	}
	py, env, err := interpreter(prog, base)
	if err != nil {
		return err
	}
	args, dir, err := pluginCommand(req, prog)
	if err != nil {
		return err
	}
	logging.V(5).Infof("language host launching plugin %q: %s %s", req.GetName(), py, strings.Join(args, " "))

	streams := &pluginStreams{server: server}
	stdout, stderr := streams.writer(streams.stdout), streams.writer(streams.stderr)
	cmd := exec.CommandContext(ctx, py, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if req.GetKind() == analyzerKind {
		err = runPolicyPack(ctx, cmd, stdout)
	} else {
		err = cmd.Run()
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return streams.exit(int32(exitErr.ExitCode())) // -1 when a signal ended it
	}
	if err != nil {
		return fmt.Errorf("could not run the Python plugin %q in %s: %w", req.GetName(), prog.dir, err)
	}
	return nil // a clean end of the stream tells the engine that the plugin exited with code 0
}

// pluginStreams sends a plugin's output to the engine. exec.Cmd copies stdout and stderr in two
// goroutines, and a gRPC stream must not be sent on from two goroutines at once: hence the lock.
type pluginStreams struct {
	mu     sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
}

func (s *pluginStreams) send(resp *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.server.Send(resp)
}

func (s *pluginStreams) stdout(b []byte) error {
	return s.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
}

func (s *pluginStreams) stderr(b []byte) error {
	return s.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
}

func (s *pluginStreams) exit(code int32) error {
	return s.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// writer adapts one of the send methods to an io.Writer.
func (s *pluginStreams) writer(send func([]byte) error) io.Writer {
	return writerFunc(func(b []byte) (int, error) {
		// A sent message must not change afterwards (grpc-go SendMsg), and exec reuses b: send a copy.
		if err := send(append([]byte(nil), b...)); err != nil {
			return 0, err
		}
		return len(b), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// pluginCommand returns the interpreter's arguments and the working directory for a plugin.
func pluginCommand(req *pulumirpc.RunPluginRequest, prog program) ([]string, string, error) {
	if req.GetKind() == analyzerKind {
		// Policy packs take their folder last and, as they always have, run inside it.
		args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		return append(args, prog.dir), prog.dir, nil
	}
	if _, err := os.Stat(filepath.Join(prog.dir, "__main__.py")); err == nil {
		return append([]string{"-u", prog.dir}, req.GetArgs()...), req.GetPwd(), nil
	}
	buildable, err := toolchain.IsBuildablePackage(prog.dir)
	if err != nil {
		return nil, "", fmt.Errorf("reading the Python plugin in %s: %w", prog.dir, err)
	}
	if !buildable {
		// The words of Pulumi's own host, so that tests and users see one message with either host.
		return nil, "", fmt.Errorf("the Python plugin in %s is not runnable: it provides neither __main__.py nor "+
			"a buildable pyproject.toml (one with a project name and a build backend)", prog.dir)
	}
	pyproject, err := toolchain.LoadPyproject(prog.dir)
	if err != nil {
		return nil, "", err
	}
	args := []string{"-u", "-m", "pulumi.run.plugin", pyproject.Project.Name}
	return append(args, req.GetArgs()...), req.GetPwd(), nil
}

// runPolicyPack runs a policy pack behind the SDK's policy proxy. The engine connects to the
// proxy first and sends the stack configuration (ConfigureStack), which the pack's process reads
// from its environment at start-up; the proxy then forwards every call to the pack.
func runPolicyPack(ctx context.Context, cmd *exec.Cmd, stdout io.Writer) error {
	proxy, packStdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	config, err := proxy.AwaitConfiguration(ctx) // prints the proxy's port for the engine
	if err != nil {
		return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
	}
	env, err := policyEnviron(config)
	if err != nil {
		return err
	}
	cmd.Env = withEnv(cmd.Env, env)
	cmd.Stdout = packStdout // the proxy reads the pack's port from it, then copies the rest
	if err := cmd.Start(); err != nil {
		proxy.Abort(err)
		return err
	}
	return proxy.Attach(ctx, cmd)
}

// policyEnviron is the stack configuration in the variables that `python -m pulumi.policy` reads.
func policyEnviron(config *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if config == nil {
		return nil, nil // e.g. `pulumi policy publish`: no stack
	}
	var env []string
	add := func(key, value string) {
		if value != "" {
			env = append(env, key+"="+value)
		}
	}
	add("PULUMI_ORGANIZATION", config.GetOrganization())
	add("PULUMI_PROJECT", config.GetProject())
	add("PULUMI_STACK", config.GetStack())
	add("PULUMI_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
	if config.GetConfig() != nil {
		values, err := json.Marshal(config.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("serializing the stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(values))
	}
	return env, nil
}
