package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// userActionableExit is the exit code with which the exec script says it already reported the
// error to the user through the engine, so the engine should stop without adding its own.
const userActionableExit = 32

// maxErrorOutput caps how much of the program's stderr goes back in a Run error.
const maxErrorOutput = 8 << 10

// host implements the parts of pulumirpc.LanguageRuntimeServer that preview, up, refresh, destroy,
// about, Python plugins and SDK generation use (plugin.go, codegen.go); the rest answers
// Unimplemented.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	exec          string // path of pulumi-language-python-exec
	engineAddress string
	tracing       string
	defaults      map[string]any // runtime options given as flags (see main)
}

func newHost(exec, engineAddress, tracing string, defaults map[string]any) *host {
	return &host{exec: exec, engineAddress: engineAddress, tracing: tracing, defaults: defaults}
}

// program reads a request's ProgramInfo; runtime options it lacks come from the host's flags.
func (h *host) program(info *pulumirpc.ProgramInfo, pwd, entry string) program {
	p := programOf(info, pwd, entry)
	for option, value := range h.defaults {
		if _, ok := p.options[option]; !ok {
			if p.options == nil {
				p.options = map[string]any{}
			}
			p.options[option] = value
		}
	}
	return p
}

// GetPluginInfo reports the Pulumi version this host was built for (stamped by get-pulumi.sh).
func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins reports no plugins: the only one our programs use, the dynamic provider
// `pulumi-python`, is bundled with the CLI.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports no packages, for the same reason as GetRequiredPlugins.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// Run executes the program through the exec script, as Pulumi's own host does.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.GetAttachDebugger() {
		return nil, status.Error(codes.Unimplemented, "this minimal Python language host cannot attach a debugger")
	}
	prog := h.program(req.GetInfo(), req.GetPwd(), req.GetProgram()) //nolint:staticcheck // fallback only
	py, env, err := interpreter(prog, os.Environ())
	if err != nil {
		return nil, err
	}
	configEnv, err := configEnviron(req)
	if err != nil {
		return nil, err
	}

	args := append([]string{"-u", h.exec}, h.execArgs(req, prog)...)
	logging.V(5).Infof("language host launching: %s %s", py, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, py, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = withEnv(env, configEnv)
	cmd.Stdout = os.Stdout // the engine shows our stdout as info messages
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // held back so that a failure returns it instead of printing it twice

	runErr := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case runErr == nil:
		_, _ = os.Stderr.Write(stderr.Bytes())
		return &pulumirpc.RunResponse{}, nil
	case errors.As(runErr, &exitErr) && exitErr.ExitCode() == userActionableExit:
		_, _ = os.Stderr.Write(stderr.Bytes())
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(runErr, &exitErr):
		msg := fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		return &pulumirpc.RunResponse{Error: withOutput(msg, stderr.Bytes())}, nil
	default:
		msg := fmt.Sprintf("Problem executing program (could not run %s %s): %v", py, h.exec, runErr)
		return &pulumirpc.RunResponse{Error: withOutput(msg, stderr.Bytes())}, nil
	}
}

// execArgs builds the exec script's command line; see its argparse definition.
func (h *host) execArgs(req *pulumirpc.RunRequest, prog program) []string {
	var args []string
	add := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("root_directory", prog.root)
	add("dry_run", strconv.FormatBool(req.GetDryRun()))
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	add("tracing", h.tracing)
	add("organization", req.GetOrganization())
	// An absolute path, because the script changes into --pwd before running the program.
	args = append(args, filepath.Join(prog.dir, prog.entry))
	return append(args, req.GetArgs()...)
}

// configEnviron passes the stack config the way the Python SDK reads it (pulumi.runtime.config).
func configEnviron(req *pulumirpc.RunRequest) ([]string, error) {
	values := req.GetConfig()
	if values == nil {
		values = map[string]string{} // "null" would make the SDK's set_all_config fail
	}
	config, err := json.Marshal(values)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	keys, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing config secret keys: %w", err)
	}
	return []string{"PULUMI_CONFIG=" + string(config), "PULUMI_CONFIG_SECRET_KEYS=" + string(keys)}, nil
}

// withOutput appends the tail of the program's stderr to an error message.
func withOutput(msg string, stderr []byte) string {
	out := bytes.TrimSpace(stderr)
	if len(out) == 0 {
		return msg
	}
	if len(out) > maxErrorOutput {
		out = append([]byte("..."), out[len(out)-maxErrorOutput:]...)
	}
	return msg + "\n" + string(out)
}

// InstallDependencies installs nothing: the project's virtualenv is prepared outside Pulumi.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	msg := "pulumi-language-python (minimal host, see docs/pulumi-cli.md): not installing " +
		"dependencies; install them into the virtualenv yourself (for example `pip install -e .`)\n"
	return stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte(msg)})
}

// About reports the interpreter that Run would use and its version.
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	prog := h.program(req.GetInfo(), "", "")
	py, env, err := interpreter(prog, os.Environ())
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, py, "--version")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", py, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: py,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "Python "),
	}, nil
}

// GetProgramDependencies reports no dependencies: listing the virtualenv is not needed here.
func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// Cancel has nothing to stop: a cancelled Run request kills its program through its context.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
