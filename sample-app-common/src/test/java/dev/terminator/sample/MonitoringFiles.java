package dev.terminator.sample;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.json.JsonParserFactory;

/**
 * The Grafana dashboard and the Prometheus alert rules that ship in {@code docs/}, and
 * the metric names their PromQL expressions read.
 */
final class MonitoringFiles {

	static final String DASHBOARD = "docs/grafana/terminator-dashboard.json";

	static final String ALERT_RULES = "docs/prometheus/terminator-alerts.yml";

	static final String ALERT_RULES_TESTS = "docs/prometheus/terminator-alerts-test.yml";

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

	private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");

	private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");

	private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?\\w+}?");

	private static final Pattern LABEL_LIST = Pattern
		.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	// An identifier that no letter, digit, colon or dot precedes (not the exponent of
	// 1e9, not the unit of 5m) and no parenthesis follows (not a function).
	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][\\w:]*(?!\\s*\\(|[\\w:])");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan");

	private MonitoringFiles() {
	}

	/**
	 * A file of the repository, found from the module the tests run in.
	 */
	static Path file(String path) {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			Path candidate = directory.resolve(path);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new AssertionError(path + " not found above " + Path.of("").toAbsolutePath());
	}

	static Map<String, Object> dashboard() throws IOException {
		return JsonParserFactory.getJsonParser().parseMap(Files.readString(file(DASHBOARD)));
	}

	/**
	 * Every {@code expr} of the dashboard: its panels' queries.
	 */
	static List<String> dashboardExpressions() throws IOException {
		List<String> expressions = new ArrayList<>();
		collect(dashboard(), "expr", expressions);
		return expressions;
	}

	/**
	 * Every {@code expr} of the alert rules.
	 */
	@SuppressWarnings("unchecked")
	static List<String> alertRuleExpressions() throws IOException {
		Map<String, Object> rules;
		try (Reader reader = Files.newBufferedReader(file(ALERT_RULES))) {
			rules = new Yaml().load(reader);
		}
		List<String> expressions = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				expressions.add((String) rule.get("expr"));
			}
		}
		return expressions;
	}

	/**
	 * The metric names a PromQL expression reads: what is left once strings, label
	 * matchers, ranges, Grafana's variables and label lists are taken out, less
	 * functions, keywords and numbers. Names are kept whole, suffix and all
	 * ({@code terminator_drain_seconds_count}), to be found as they are in a scrape.
	 */
	static Set<String> metricNames(String expression) {
		String names = STRING.matcher(expression).replaceAll(" ");
		names = LABEL_MATCHERS.matcher(names).replaceAll(" ");
		names = RANGE.matcher(names).replaceAll(" ");
		names = GRAFANA_VARIABLE.matcher(names).replaceAll(" ");
		names = LABEL_LIST.matcher(names).replaceAll(" ");
		Set<String> found = new TreeSet<>();
		Matcher identifier = IDENTIFIER.matcher(names);
		while (identifier.find()) {
			if (!KEYWORDS.contains(identifier.group().toLowerCase())) {
				found.add(identifier.group());
			}
		}
		return found;
	}

	/**
	 * The names of the samples in a Prometheus text exposition:
	 * {@code terminator_drain_seconds_count}, not its family's name.
	 */
	static Set<String> sampleNames(String exposition) {
		Set<String> names = new TreeSet<>();
		exposition.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.split("[{ ]", 2)[0])
			.forEach(names::add);
		return names;
	}

	private static void collect(Object node, String key, List<String> values) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((name, value) -> {
				if (key.equals(name) && value instanceof String text) {
					values.add(text);
				}
				else {
					collect(value, key, values);
				}
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach((element) -> collect(element, key, values));
		}
	}

}
