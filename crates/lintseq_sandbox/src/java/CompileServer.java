// lintseq's warm Java compiler: one JVM per worker, in the same jail as any
// command, that runs javac in process for each program instead of starting
// a fresh `javac` (a JVM start and a cold compiler, most of a sample's
// time). The caller bounds each request with a deadline and kills the
// server when one passes.
//
// Protocol: one request per line on stdin, "compile" or "argfile". The
// server compiles Main.java in its working directory exactly as
// `javac Main.java` would there (the same entry point as the command,
// class files beside the source, the same messages), or, for "argfile",
// runs javac as `javac @javac.args` would there (a project: options and
// source files listed in that file). It answers with one line,
// "done <exit code> <stdout bytes> <stderr bytes>", followed by javac's
// stdout and stderr. After an abnormal end (exit code 3 or more, or a
// Throwable escaping javac) it exits once it has answered, since the JVM
// may not be fit to go on.

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public final class CompileServer {
    private CompileServer() {}

    public static void main(String[] args) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        BufferedReader requests =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OutputStream answers = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        String request;
        while ((request = requests.readLine()) != null) {
            String argument;
            if (request.equals("compile")) {
                argument = "Main.java";
            } else if (request.equals("argfile")) {
                argument = "@javac.args";
            } else {
                answers.write(("error unknown request\n").getBytes(StandardCharsets.US_ASCII));
                answers.flush();
                continue;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            boolean fit = true;
            try {
                code = javac.run(null, out, err, argument);
            } catch (Throwable t) {
                PrintStream trace = new PrintStream(err, true, Charset.defaultCharset());
                t.printStackTrace(trace);
                code = 4;
                fit = false;
            }
            String head = "done " + code + " " + out.size() + " " + err.size() + "\n";
            answers.write(head.getBytes(StandardCharsets.US_ASCII));
            out.writeTo(answers);
            err.writeTo(answers);
            answers.flush();
            if (!fit || code >= 3) {
                return;
            }
        }
    }
}
