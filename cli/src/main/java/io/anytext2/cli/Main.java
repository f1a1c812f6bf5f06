package io.anytext2.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code anytext2} command line. */
@Command(
    name = "anytext2",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "AnyText2 for Java: render legible, controllable text in generated and edited images.",
    // one command per line: parallel work adds lines here without touching the others
    subcommands = {
      GenerateCommand.class,
      EditCommand.class,
      ConvertCommand.class,
      ParityCommand.class,
      RandomCheckpointCommand.class,
      ExtendDictCommand.class,
      SynthCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(new OneLineErrors());
    return cl.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Prints a failure as one line ("error: …") and exits non-zero; a stack trace only with ANYTEXT2_DEBUG=1. */
  static final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
      String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
      cl.getErr().println("error: " + msg.lines().findFirst().orElse(msg));
      if ("1".equals(System.getenv("ANYTEXT2_DEBUG"))) {
        ex.printStackTrace(cl.getErr());
      }
      return ex instanceof IllegalArgumentException ? 2 : 1;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"anytext2 " + (v == null ? "dev" : v)};
    }
  }
}
