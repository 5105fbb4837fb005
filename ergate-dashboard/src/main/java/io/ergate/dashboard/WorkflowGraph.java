package io.ergate.dashboard;

import java.util.ArrayList;
import java.util.List;

import io.ergate.PathHint;
import io.ergate.Workflow;
import io.ergate.WorkflowStep;

/**
 * A workflow drawn as a graph in server-side SVG: a box per step, top to bottom in order, an end node,
 * and an arrow per path: straight down for {@code next}, curving on the right for {@code goTo}, on the
 * left to the end node for {@code end}.
 *
 * @param name the workflow's name
 * @param query the name encoded for a URL's query
 * @param segment the name encoded for a URL's path
 * @param width the drawing's width
 * @param height the drawing's height
 * @param nodes the step boxes and the end node
 * @param edges the arrows
 */
record WorkflowGraph(String name, String query, String segment, int width, int height, List<Node> nodes, List<Edge> edges) {

	private static final int NODE_WIDTH = 220;

	private static final int NODE_HEIGHT = 40;

	private static final int GAP = 36;

	private static final int TOP = 16;

	private static final int BULGE = 34;

	private static final int BULGE_STEP = 16;

	static WorkflowGraph of(Workflow workflow) {
		List<WorkflowStep> steps = workflow.steps();
		int ends = 0;
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i).pathHints().contains(PathHint.end()) && !(i == steps.size() - 1 && goesOn(steps.get(i)))) {
				ends++;
			}
		}
		int left = 40 + BULGE + BULGE_STEP * Math.max(0, ends - 1) + 30;
		int centre = left + NODE_WIDTH / 2;
		int right = left + NODE_WIDTH;
		List<Node> nodes = new ArrayList<>();
		for (int i = 0; i < steps.size(); i++) {
			WorkflowStep step = steps.get(i);
			nodes.add(new Node(step.name(), String.valueOf(i + 1), left, y(i), NODE_WIDTH, NODE_HEIGHT, centre,
					y(i) + NODE_HEIGHT / 2 + 5, "node-step", String.join(", ", step.pathHints().stream().map(PathHint::toString).toList())));
		}
		int endY = y(steps.size());
		nodes.add(new Node("end", "", left + NODE_WIDTH / 4, endY, NODE_WIDTH / 2, NODE_HEIGHT, centre,
				endY + NODE_HEIGHT / 2 + 5, "node-end", "the job completes"));
		List<Edge> edges = new ArrayList<>();
		int goTos = 0;
		int endIndex = 0;
		for (int i = 0; i < steps.size(); i++) {
			WorkflowStep step = steps.get(i);
			int bottom = y(i) + NODE_HEIGHT;
			if (goesOn(step)) {
				edges.add(new Edge("M " + centre + " " + bottom + " L " + centre + " " + (y(i + 1) - 2), "edge-next",
						(i == steps.size() - 1) ? "end" : "", centre + 8, bottom + GAP / 2 + 4, "next"));
			}
			int mid = y(i) + NODE_HEIGHT / 2;
			for (PathHint hint : step.pathHints()) {
				if (hint.kind() == PathHint.Kind.GO_TO) {
					int target = indexOf(steps, hint.target());
					int targetMid = y(target) + NODE_HEIGHT / 2;
					int bulge = right + BULGE + BULGE_STEP * goTos++;
					edges.add(new Edge("M " + right + " " + (mid - 6) + " C " + bulge + " " + (mid - 6) + ", " + bulge + " "
							+ (targetMid + 6) + ", " + (right + 2) + " " + (targetMid + 6), "edge-goto",
							"goTo", bulge + 4, (mid + targetMid) / 2 + 4, "goTo(" + hint.target() + ")"));
				}
				else if (hint.kind() == PathHint.Kind.END && !(i == steps.size() - 1 && goesOn(step))) {
					int bulge = left - BULGE - BULGE_STEP * endIndex++;
					int endMid = endY + NODE_HEIGHT / 2;
					edges.add(new Edge("M " + left + " " + mid + " C " + bulge + " " + mid + ", " + bulge + " " + endMid
							+ ", " + (left + NODE_WIDTH / 4 - 2) + " " + endMid, "edge-end", "end", bulge - 30,
							(mid + endMid) / 2, "end"));
				}
			}
		}
		int width = right + BULGE + BULGE_STEP * Math.max(0, goTos - 1) + 60;
		return new WorkflowGraph(workflow.name(), Formats.query(workflow.name()), Formats.segment(workflow.name()), width, endY + NODE_HEIGHT + TOP, nodes, edges);
	}

	/** Whether the step may go on to the next one: it declared {@code next}, or no hints at all. */
	private static boolean goesOn(WorkflowStep step) {
		return step.pathHints().isEmpty() || step.pathHints().contains(PathHint.next());
	}

	private static int indexOf(List<WorkflowStep> steps, String name) {
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i).name().equals(name)) {
				return i;
			}
		}
		throw new IllegalStateException("No step " + name);
	}

	private static int y(int index) {
		return TOP + index * (NODE_HEIGHT + GAP);
	}

	/**
	 * A box.
	 * @param label the step's name, or "end"
	 * @param number the step's position, from 1, or {@code ""}
	 * @param x left
	 * @param y top
	 * @param width width
	 * @param height height
	 * @param textX the label's centre
	 * @param textY the label's baseline
	 * @param cssClass its look
	 * @param title its tooltip: the step's path hints
	 */
	record Node(String label, String number, int x, int y, int width, int height, int textX, int textY, String cssClass,
			String title) {

	}

	/**
	 * An arrow.
	 * @param path its SVG path
	 * @param cssClass its look
	 * @param label its label, or {@code ""}
	 * @param labelX where its label starts
	 * @param labelY its label's baseline
	 * @param title its tooltip
	 */
	record Edge(String path, String cssClass, String label, int labelX, int labelY, String title) {

	}

}
