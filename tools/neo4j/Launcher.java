// Local Neo4j Community server for development and tests (no Docker).
//
// Run in Java 11+ single-file source mode, so nothing compiled lives in git:
//   java -cp <classpath from pom.xml> tools/neo4j/Launcher.java \
//     --home <dir> --port <bolt port> --plugins <dir> [--page-cache-mb 512]
//
// stdout carries exactly one line, `CATALYST_NEO4J_READY bolt://127.0.0.1:<port>`,
// once Bolt accepts connections; Neo4j's own logs go to <home>/logs/debug.log.
// The server stops cleanly on SIGTERM/SIGINT and when stdin reaches EOF, which is how
// it notices that the Node process that spawned it (holding a pipe to stdin) has died.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
  private static final String HOST = "127.0.0.1";
  private static final long MB = 1024L * 1024L;
  private static final Object lock = new Object();
  private static DatabaseManagementService service;
  private static boolean stopping;

  public static void main(String[] argv) {
    try {
      Map<String, String> args = parseArgs(argv);
      Path home = Path.of(required(args, "home")).toAbsolutePath();
      Path plugins = Path.of(required(args, "plugins")).toAbsolutePath();
      int port = Integer.parseInt(required(args, "port"));
      long pageCacheMb = Long.parseLong(args.getOrDefault("page-cache-mb", "512"));
      Files.createDirectories(home);

      Runtime.getRuntime().addShutdownHook(new Thread(Launcher::shutdown, "catalyst-neo4j-shutdown"));
      watchStdin();

      DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
          .setConfig(BoltConnector.enabled, true)
          .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
          .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
          .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
          .setConfig(HttpConnector.enabled, false)
          .setConfig(HttpsConnector.enabled, false)
          .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
          .setConfig(GraphDatabaseSettings.auth_enabled, false)
          .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
          .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
          .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("apoc.*"))
          .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMb * MB)
          .setConfig(GraphDatabaseSettings.pagecache_warmup_enabled, false)
          // Dev box: keep transaction logs small instead of the default "2 days" of 256 MB files.
          .setConfig(GraphDatabaseSettings.keep_logical_logs, "100M size")
          .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 16 * MB)
          .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
          .setConfig(GraphDatabaseSettings.udc_enabled, false)
          // Netty's default 5 s quiet period, paid twice, makes every stop take 10 s+.
          .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);

      DatabaseManagementService built = builder.build();
      synchronized (lock) {
        service = built;
        if (stopping) return; // a signal arrived mid-start; the JVM is already exiting
      }
      // build() starts the DBMS (Bolt included); make sure the default database is serving too.
      String dbName = GraphDatabaseSettings.initial_default_database.defaultValue();
      if (!built.database(dbName).isAvailable(TimeUnit.MINUTES.toMillis(2))) {
        throw new IllegalStateException("database '" + dbName + "' did not become available");
      }
      System.out.println("CATALYST_NEO4J_READY bolt://" + HOST + ":" + port);
      System.out.flush();
    } catch (Throwable e) {
      // Stack first, summary last: the Node side shows only the tail of stderr.
      e.printStackTrace();
      System.err.println("catalyst-neo4j: failed to start: " + e);
      for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
        System.err.println("  caused by: " + c);
      }
      System.err.flush();
      // halt rather than exit: a half-started DBMS must not block on the shutdown hook.
      Runtime.getRuntime().halt(1);
    }
    // main returns; Neo4j's non-daemon threads keep the JVM alive until a signal or stdin EOF.
  }

  private static void shutdown() {
    DatabaseManagementService s;
    synchronized (lock) {
      stopping = true;
      s = service;
    }
    if (s == null) return;
    try {
      s.shutdown();
    } catch (Throwable e) {
      System.err.println("catalyst-neo4j: error during shutdown: " + e);
    }
  }

  /** Exit (running the shutdown hook) once stdin closes, i.e. when the parent process is gone. */
  private static void watchStdin() {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[256];
      try {
        while (System.in.read(buf) >= 0) {
          // input is ignored; we only care about EOF
        }
      } catch (IOException ignored) {
        // treat a broken stdin like EOF
      }
      System.exit(0);
    }, "catalyst-neo4j-stdin-watch");
    t.setDaemon(true);
    t.start();
  }

  private static Map<String, String> parseArgs(String[] argv) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("usage: --home <dir> --port <n> --plugins <dir> [--page-cache-mb <n>]");
      }
      out.put(argv[i].substring(2), argv[++i]);
    }
    return out;
  }

  private static String required(Map<String, String> args, String name) {
    String v = args.get(name);
    if (v == null || v.isEmpty()) throw new IllegalArgumentException("missing --" + name);
    return v;
  }
}
